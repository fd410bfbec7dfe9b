import { expect, test, type Page } from '@playwright/test';
import { shot, signIn, signOut } from './helpers';

// Chromium's fake microphone (--use-fake-device-for-media-stream --use-fake-ui-for-media-stream)
// feeds a beep; recordings are uploaded in 1 s chunks while the call goes on.

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
	await page
		.getByTestId('mock-exam-mock-call')
		.getByRole('button', { name: '自主练习模式开始' })
		.click();
	await expect(page).toHaveURL(/\/mock-calls\/[0-9a-f-]{36}$/);
	await shot(page, 'mock-call-mic-check-zh');
	await micReady(page);
	await page.getByTestId('begin-call').click();
	await expect(page.getByTestId('customer-speaking')).toBeVisible();
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
	await page.locator('a[href^="/grading/mock-calls/"]').first().click();
	await expect(page.getByTestId('beats')).toBeVisible();
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
	await shot(page, 'mock-call-grading-zh');
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
		if (n === 1) await shot(page, 'agent-desktop-call-zh');
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
	await page.locator('a[href^="/grading/mock-calls/"]').first().click();
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

test('a closed tab mid-call: the uploaded part survives and the call resumes in a new segment', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	page.on('dialog', (d) => void d.accept());
	await signIn(page, 'trainee8');
	await page.goto('/mock-calls');
	await page
		.getByTestId('mock-exam-mock-call')
		.getByRole('button', { name: '考官主导模式开始' })
		.click();
	await micReady(page);
	await page.getByTestId('begin-call').click();
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
	await again.getByTestId('submit-mock').click();
	await expect(again.getByTestId('mock-submitted')).toBeVisible();
	await signOutAndCheck(again);
});

async function signOutAndCheck(page: Page) {
	await signOut(page);
	await signIn(page, 'examiner');
	await page.goto('/grading');
	await page.locator('a[href^="/grading/mock-calls/"]').first().click();
	await expect(page.getByTestId('recording')).toHaveCount(2);
	await expect(page.getByText('中断（保留已上传部分）')).toBeVisible();
	const first = Number(await page.getByTestId('recording-duration').first().innerText());
	expect(first).toBeGreaterThan(2);
	await shot(page, 'mock-call-examiner-led-scenario-zh');
}
