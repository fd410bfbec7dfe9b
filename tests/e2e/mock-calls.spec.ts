import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { shot, signIn, signOut } from './helpers';

// Chromium's fake microphone (--use-fake-device-for-media-stream --use-fake-ui-for-media-stream)
// feeds a beep; recordings are uploaded in 1 s chunks while the call goes on.

const VIEWPORT = { width: 1366, height: 900 };
test.use({ viewport: VIEWPORT });

/** A screenshot of what is on screen (1366×900) for people to look at: in SCREENS_DIR when
 *  set, else beside the other screenshots. */
async function screen(page: Page, name: string) {
	const dir = process.env.SCREENS_DIR ?? 'test-results/screens';
	mkdirSync(dir, { recursive: true });
	await page.screenshot({ path: `${dir}/${name}.png` });
}

/** The grade button of the first mock attempt in the /grading queue. */
const gradeFirstMock = (page: Page) =>
	page.getByTestId('grading-queue').locator('a[href^="/grading/mock-calls/"]').first().click();

async function micReady(page: Page) {
	await page.getByTestId('mic-test').click();
	await expect(page.getByTestId('mic-continue')).toBeVisible();
	await page.getByTestId('mic-continue').click();
}

async function answerAllBeats(page: Page, answerMs = 1200) {
	for (;;) {
		await expect(page.getByTestId('your-turn')).toBeVisible({ timeout: 30_000 });
		await page.waitForTimeout(answerMs);
		const next = page.getByTestId('next-beat');
		if (!(await next.isVisible())) break;
		await next.click();
	}
}

async function rubricAll(page: Page, level: 5 | 3) {
	const radios = page.locator(
		`[data-testid="rubric-marker"] input[type="radio"][value="${level}"]`
	);
	const n = await radios.count();
	for (let i = 0; i < n; i++) await radios.nth(i).check();
	await expect(page.getByTestId('rubric-percent')).not.toHaveText('—%');
}

test('self-paced mock call: recorded in chunks, graded by the examiner, in the dossier', async ({
	page
}) => {
	test.setTimeout(240_000);
	page.on('dialog', (d) => void d.accept());
	page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
	await signIn(page, 'trainee8');
	await page.goto('/mock-calls');
	await screen(page, 'mock-calls-list-zh');
	await page
		.getByTestId('mock-exam-mock-call')
		.getByRole('button', { name: '自主练习模式开始' })
		.click();
	await expect(page).toHaveURL(/\/mock-calls\/[0-9a-f-]{36}$/);
	await shot(page, 'mock-call-mic-check-zh');
	await micReady(page);
	await page.getByTestId('begin-call').click();
	await expect(page.getByTestId('customer-speaking')).toBeVisible();
	await expect(page.getByTestId('your-turn')).toBeVisible({ timeout: 30_000 });
	await screen(page, 'mock-call-self-paced-zh');
	await answerAllBeats(page);
	await expect(page.getByTestId('upload-status')).toContainText(/已上传 [1-9]\d* 段/);
	await page.getByTestId('end-call').click();
	await expect(page.getByTestId('recording-saved')).toBeVisible({ timeout: 30_000 });
	const seconds = Number(
		(await page.getByTestId('recording-saved').innerText()).match(/([\d.]+) 秒/)![1]
	);
	expect(seconds).toBeGreaterThan(5);
	await page.getByTestId('submit-mock').click();
	await expect(page.getByTestId('mock-submitted')).toBeVisible();
	await signOut(page);

	await signIn(page, 'examiner');
	await page.goto('/grading');
	await gradeFirstMock(page);
	await expect(page.getByTestId('scenario-script')).toBeVisible();
	const dur = Number(await page.getByTestId('recording-duration').first().innerText());
	expect(Math.abs(dur - seconds)).toBeLessThan(1.5);
	// The recording: ranges, inline, nosniff.
	const src = (await page.locator('audio').first().getAttribute('src'))!;
	const part = await page.request.get(src, { headers: { Range: 'bytes=0-99' } });
	expect(part.status()).toBe(206);
	expect(part.headers()['x-content-type-options']).toBe('nosniff');
	expect(part.headers()['content-disposition']).toMatch(/^inline; filename="recording-/);
	await page
		.getByTestId('transcript-text')
		.first()
		.fill(
			'坐席：您好，星联通信，工号 1024 为您服务。\n客户：你好。\n坐席：没有办法，这是公司的规定。'
		);
	await page.getByRole('button', { name: '保存文字稿' }).first().click();
	await expect(page.getByText('文字稿已保存（3 句）')).toBeVisible();
	await expect(page.getByTestId('phrase-hits')).toBeVisible();
	await rubricAll(page, 5);
	await page.getByTestId('comment-input').fill('开场问候规范');
	await page.getByRole('button', { name: '钉在当前时间' }).click();
	await expect(page.getByTestId('grading-save-status')).toContainText(/草稿已保存 · \d{2}:\d{2}/);
	await shot(page, 'mock-call-grading-zh');
	await page.evaluate(() => window.scrollTo(0, 0));
	await page
		.locator('aside')
		.last()
		.evaluate((el) => (el.scrollTop = 0));
	await screen(page, 'grading-mock-call-zh');
	await page.getByTestId('submit-marker').click();
	await expect(page.getByTestId('mock-result')).toContainText('100%');
	const dossierHref = (await page.getByTestId('dossier-link').getAttribute('href'))!;
	await signOut(page);
	// The result is in the trainee's dossier (the homeroom teacher's view).
	await signIn(page, 'teacher');
	await page.goto(dossierHref);
	await expect(
		page
			.getByTestId('timeline')
			.getByText(/综合考核：模拟电话（第 1 次）/)
			.first()
	).toBeVisible();
	await signOut(page);

	// Someone else (another trainee) cannot hear it.
	await signIn(page, 'trainee9');
	expect((await page.request.get(src)).status()).toBe(404);
	await signOut(page);
});

test('mock go-live shift of two calls on the agent desktop; KPIs; examiner grading; a lost connection mid-recording resumes', async ({
	page,
	context
}) => {
	test.setTimeout(300_000);
	page.on('dialog', (d) => void d.accept());
	await signIn(page, 'trainee9');
	await page.goto('/mock-calls');
	await page
		.getByTestId('mock-exam-mock-golive')
		.getByRole('button', { name: '开始模拟班次' })
		.click();
	await expect(page.getByTestId('agent-desktop')).toBeVisible();
	await micReady(page);

	for (let n = 1; n <= 2; n++) {
		if (n === 2) {
			await page.getByTestId('start-break').click();
			await expect(page.getByTestId('on-break')).toBeVisible();
			await page.getByTestId('end-break').click();
		}
		await page.getByTestId('take-call').click();
		await expect(page.getByTestId('incoming')).toBeVisible();
		if (n === 1) await shot(page, 'agent-desktop-ringing-zh', { fullPage: false });
		await page.waitForTimeout(1500);
		await page.getByTestId('answer').click();
		await expect(page.getByTestId('customer-info')).toBeVisible();
		if (n === 1) {
			// Cut the network mid-recording: chunks queue up, then go out when it is back.
			await expect(page.getByTestId('upload-status')).toContainText(/已上传 [1-9]/, {
				timeout: 15_000
			});
			await context.setOffline(true);
			await page.waitForTimeout(3500);
			await expect(page.getByTestId('offline')).toBeVisible();
			await context.setOffline(false);
		}
		await answerAllBeats(page, 800);
		await page
			.getByTestId('ticket-classification')
			.selectOption(n === 1 ? { index: 1 } : { index: 2 });
		for (const input of await page.locator('[data-testid^="capture-"]').all())
			await input.fill('已记录');
		await page.getByTestId('ticket-keypoints').fill('客户来电要点已记录');
		await page.getByTestId('ticket-resolution').fill('已按流程处理');
		if (n === 1) {
			await shot(page, 'agent-desktop-call-zh');
			await page.evaluate(() => window.scrollTo(0, 0));
			await screen(page, 'agent-desktop-shift-zh');
		}
		await page.getByTestId('hangup').click();
		await expect(page.getByTestId('finish-wrapup')).toBeVisible();
		await page.getByTestId('finish-wrapup').click();
	}
	await expect(page.getByTestId('shift-done')).toBeVisible();
	await page.getByTestId('submit-shift').click();
	await expect(page.getByTestId('mock-submitted')).toBeVisible({ timeout: 30_000 });
	await signOut(page);

	await signIn(page, 'examiner');
	await page.goto('/grading');
	await gradeFirstMock(page);
	await expect(page.getByTestId('shift-kpis')).toBeVisible();
	await expect(page.getByTestId('shift-kpis')).toContainText('100%'); // answered within three rings
	const durations = await page.getByTestId('recording-duration').allInnerTexts();
	expect(durations.length).toBeGreaterThanOrEqual(2);
	for (const d of durations) expect(Number(d)).toBeGreaterThan(3);
	await rubricAll(page, 3);
	await shot(page, 'golive-grading-zh');
	await page.getByTestId('submit-marker').click();
	await expect(page.getByTestId('mock-result')).toBeVisible();
	const dossierHref = (await page.getByTestId('dossier-link').getAttribute('href'))!;
	await signOut(page);
	await signIn(page, 'teacher');
	await page.goto(dossierHref);
	await expect(
		page
			.getByTestId('timeline')
			.getByText(/模拟上岗：模拟班次（第 1 次）/)
			.first()
	).toBeVisible();
	await shot(page, 'dossier-mock-results-zh');
});

test('examiner-led mock call: the examiner scores live from the console while the trainee records; a closed tab resumes in a new segment', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	test.setTimeout(240_000);
	page.on('dialog', (d) => void d.accept());
	// The examiner works in another browser at the same time.
	const examinerContext = await browser.newContext({
		baseURL,
		locale: 'zh-CN',
		viewport: VIEWPORT
	});
	const examiner = await examinerContext.newPage();
	examiner.on('dialog', (d) => void d.accept());
	await signIn(examiner, 'examiner');
	await examiner.goto('/grading/mock-calls/live');
	await expect(examiner.getByTestId('live-queue-empty')).toBeVisible();

	await signIn(page, 'trainee8');
	await page.goto('/mock-calls');
	await page
		.getByTestId('mock-exam-mock-call')
		.getByRole('button', { name: '考官主导模式开始' })
		.click();
	await micReady(page);

	// The queue refreshes itself: the call shows up as waiting for the trainee.
	const row = examiner.getByTestId('live-row').filter({ hasText: '林悦' });
	await expect(row.getByTestId('live-row-phase')).toHaveText('等待学员开始通话', {
		timeout: 15_000
	});
	await screen(examiner, 'examiner-live-queue-zh');
	await row.getByTestId('live-open').click();
	await expect(examiner).toHaveURL(/\/grading\/mock-calls\/[0-9a-f-]{36}\/live$/);
	await expect(examiner.getByTestId('beats')).toBeVisible();
	await expect(examiner.getByTestId('live-phase')).toHaveText('等待学员开始通话');

	await page.getByTestId('begin-call').click();
	await expect(page.getByTestId('customer-info')).toBeVisible();
	// The console sees the call start and times it from the server's stamp of the recording.
	await expect(examiner.getByTestId('live-phase')).toHaveText('通话中', { timeout: 10_000 });
	await expect(examiner.getByTestId('live-timer')).not.toHaveText('00:00', { timeout: 10_000 });
	await examiner.locator('[data-testid="live-item-open-call"] label', { hasText: '5' }).click();
	await examiner.locator('[data-testid="live-item-voice"] label', { hasText: '3' }).click();
	await expect(examiner.getByTestId('draft-status')).toContainText(/已保存草稿 · \d{2}:\d{2}/);
	await examiner.getByTestId('note-input').fill('开场报了公司名和工号');
	await examiner.getByTestId('note-input').press('Enter');
	await expect(examiner.getByTestId('note-at')).toHaveText(/^00:0[1-9]|^00:[1-5]\d$/);
	await expect(examiner.getByTestId('draft-status')).toContainText('已保存草稿');
	await examiner.evaluate(() => window.scrollTo(0, 0));
	await screen(examiner, 'examiner-live-console-zh');
	// The examiner marks where the call is in the script; the call bar stays in view.
	await examiner.getByTestId('beat').nth(1).getByRole('button').click();
	await expect(examiner.getByTestId('beat').nth(1).getByRole('button')).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await expect(examiner.getByTestId('live-call-bar')).toBeInViewport();
	await screen(examiner, 'examiner-live-script-zh');

	// The trainee's tab closes mid-call: what was uploaded survives, the call resumes.
	await expect(page.getByTestId('upload-status')).toContainText(/已上传 [3-9]/, {
		timeout: 20_000
	});
	const url = page.url();
	await page.close();
	const again = await context.newPage();
	again.on('dialog', (d) => void d.accept());
	await again.goto(url);
	await expect(again.getByTestId('resumed')).toBeVisible();
	await micReady(again);
	await again.getByTestId('begin-call').click();
	await again.waitForTimeout(2500);
	await again.getByTestId('end-call').click();
	await expect(again.getByTestId('recording-saved')).toBeVisible({ timeout: 30_000 });

	// The call is over: the console stops the timer and points to the grading page.
	await expect(examiner.getByTestId('live-phase')).toHaveText('通话已结束，等待学员提交', {
		timeout: 10_000
	});
	const stopped = await examiner.getByTestId('live-timer').innerText();
	await examiner.waitForTimeout(2500);
	await expect(examiner.getByTestId('live-timer')).toHaveText(stopped);
	await again.getByTestId('submit-mock').click();
	await expect(again.getByTestId('mock-submitted')).toBeVisible();

	await examiner.getByTestId('go-grading').click();
	await expect(examiner.getByTestId('recording')).toHaveCount(2);
	await expect(examiner.getByText('中断（保留已上传部分）')).toBeVisible();
	const first = Number(await examiner.getByTestId('recording-duration').first().innerText());
	expect(first).toBeGreaterThan(2);
	// What was scored live is there; the rest is scored now.
	await expect(
		examiner.locator('[data-testid="item-open-call"] input[type="radio"][value="5"]')
	).toBeChecked();
	await expect(examiner.getByTestId('rubric-marker')).toContainText('开场报了公司名和工号');
	await shot(examiner, 'mock-call-examiner-led-scenario-zh');
	const radios = examiner.locator('[data-testid="rubric-marker"] input[type="radio"][value="3"]');
	for (let i = 0; i < (await radios.count()); i++) {
		const item = radios.nth(i);
		const group = examiner.locator(`input[name="${await item.getAttribute('name')}"]:checked`);
		if ((await group.count()) === 0) await item.check();
	}
	await expect(examiner.getByTestId('rubric-percent')).not.toHaveText('—%');
	await examiner.getByTestId('submit-marker').click();
	await expect(examiner.getByTestId('mock-result')).toBeVisible();
	await examinerContext.close();
});
