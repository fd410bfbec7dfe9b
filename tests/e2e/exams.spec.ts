import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { shot, signIn, signOut } from './helpers';

const STAGE_ONE = [
	'01-service-concepts',
	'02-product-knowledge',
	'03-customer-service-knowledge',
	'04-phone-etiquette'
];

/** Completes the first stage's lessons through the same endpoint the reader uses. */
async function finishStageOne(page: Page) {
	for (const dir of STAGE_ONE) {
		const course = dir.slice(3);
		for (const file of readdirSync(`content/courses/${dir}`).filter((f) =>
			/^\d\d-.*\.md$/.test(f)
		)) {
			const res = await page.request.post(`/learn/${course}/${file.slice(3, -3)}/progress`, {
				data: { complete: true }
			});
			expect(res.ok()).toBe(true);
		}
	}
}

test('a trainee sits the written test through a network loss, submits; an examiner grades; the trainee reviews', async ({
	page,
	context,
	browser
}) => {
	test.setTimeout(120_000);
	await signIn(page, 'trainee5');
	await finishStageOne(page);
	await page.goto('/exams');
	await expect(page.getByRole('heading', { name: '我的考核' })).toBeVisible();
	await page.goto('/exams/first-written');
	await shot(page, 'exam-start-zh');
	const fetched: string[] = [];
	page.on('request', (r) =>
		fetched.push(`${r.resourceType()} ${r.method()} ${new URL(r.url()).pathname}`)
	);
	await page.getByRole('button', { name: '开始考试' }).click();
	await expect(page).toHaveURL(/\/attempts\/[0-9a-f-]{36}$/);
	const attemptUrl = page.url();
	// The start answers with the test itself, in one document; the script then gives the address
	// bar the attempt's address (nothing is requested for it).
	const attemptPath = new URL(attemptUrl).pathname;
	await expect(page.getByTestId('clock')).toHaveText(/\d\d:\d\d/);
	await shot(page, 'exam-started-zh', { fullPage: false });
	expect(fetched.filter((f) => f.startsWith('document'))).toEqual([
		'document POST /exams/first-written/start'
	]);
	// Reloading reads the attempt's page: the start is not posted again.
	await page.reload();
	expect(fetched.filter((f) => f.startsWith('document')).slice(1)).toEqual([
		`document GET ${attemptPath}`
	]);
	await expect(page.getByTestId('clock')).toHaveText(/\d\d:\d\d/);
	// The start's address, reached again (the language switched on the test's first page), leads
	// back to the test.
	await page.goto('/exams/first-written/start');
	await expect(page).toHaveURL(attemptUrl);

	// No framework on this page (issue 9: ≤ 40 KB gzip of JS): one small content-hashed script.
	await expect(page.locator('link[rel="modulepreload"]')).toHaveCount(0);
	const scripts = page.locator('script[src]');
	await expect(scripts).toHaveCount(1);
	const script = await page.request.get((await scripts.getAttribute('src'))!);
	expect(script.headers()['cache-control']).toContain('immutable');
	expect((await script.body()).length).toBeLessThan(20_000);

	// The page data holds no answer key.
	const data = await page.request.get(`${attemptUrl}/__data.json`);
	const body = await data.text();
	for (const key of ['"correct"', '"explanation"', '"markingPoints"', '"reference"', '"pairs"'])
		expect(body).not.toContain(key);

	const singles = page.locator('fieldset:has(input[type=radio]):not(:has(input[value=true]))');
	await singles.nth(0).locator('label').nth(1).click();
	await expect(page.getByTestId('save-status')).toContainText('已保存');

	// The autosave endpoint checks the session itself (not in the hooks): nobody else may write
	// this attempt's answers, and a signed-out request is sent to sign in.
	const itemName = (await singles.nth(0).locator('input').first().getAttribute('name'))!;
	const save = (request: APIRequestContext, seq: number) =>
		request.post(`${attemptPath}/responses`, {
			data: { itemId: itemName.slice(2), value: 0, seq },
			maxRedirects: 0
		});
	const anonymous = await browser.newContext();
	const signedOut = await save(anonymous.request, 1e8);
	expect(signedOut.status()).toBe(303);
	// The hooks' short path for the autosave still sends the security headers.
	expect(signedOut.headers()['x-content-type-options']).toBe('nosniff');
	expect(signedOut.headers()['location']).toBe(
		`/login?next=${encodeURIComponent(attemptPath + '/responses')}`
	);
	await anonymous.close();
	for (const [login, status] of [
		['hr', 403],
		['trainee4', 400]
	] as const) {
		const other = await browser.newPage();
		await signIn(other, login);
		expect((await save(other.request, 1e8)).status(), login).toBe(status);
		await other.close();
	}
	const stale = await save(page.request, 1);
	expect(stale.status()).toBe(200);
	expect(await stale.json()).toMatchObject({ status: 'stale' });

	// The network drops: answers stay on this computer and the page says so.
	await context.setOffline(true);
	await singles.nth(1).locator('label').nth(2).click();
	const short = page.locator('textarea').first();
	await short.fill('先向客户致歉并安抚情绪，核实身份后记录问题要点，说明处理时限并按时回访。');
	await expect(page.getByTestId('save-status')).toContainText('网络已断开', { timeout: 10_000 });
	await shot(page, 'exam-offline-zh', { fullPage: false });

	// The tab is closed while offline; once the network is back the trainee comes back through
	// the exam's page and its "continue" link (hovered first, as a mouse does: the attempt's page
	// has no client-side rendering, so the link must load it in full rather than through the
	// client router, which cannot read its data).
	await page.close();
	await context.setOffline(false);
	const again = await context.newPage();
	await again.goto('/exams/first-written');
	const resume = again.getByRole('link', { name: '继续作答' });
	await resume.hover();
	await resume.click();
	await expect(again).toHaveURL(attemptUrl);
	await expect(again.getByTestId('save-status')).toContainText('已保存', { timeout: 15_000 });
	// Reload: everything comes from the server now.
	await again.reload();
	const singles2 = again.locator('fieldset:has(input[type=radio]):not(:has(input[value=true]))');
	await expect(singles2.nth(0).locator('input').nth(1)).toBeChecked();
	await expect(singles2.nth(1).locator('input').nth(2)).toBeChecked();
	await expect(again.locator('textarea').first()).toHaveValue(/致歉并安抚情绪/);
	await shot(again, 'exam-taking-zh', { fullPage: false });

	again.on('dialog', (d) => d.accept());
	await again.getByRole('button', { name: '交卷' }).click();
	await expect(again.getByText('已交卷。')).toBeVisible();
	// Submitting again (another tab, a double click) changes nothing.
	await again.goto(attemptUrl);
	await expect(again.getByText('已交卷。')).toBeVisible();
	await signOut(again);

	const examiner = await browser.newPage();
	await signIn(examiner, 'examiner');
	await examiner.goto('/grading');
	await expect(examiner.getByRole('heading', { name: '待评阅' })).toBeVisible();
	await examiner.getByRole('row', { name: /周磊/ }).getByRole('link', { name: '评阅' }).click();
	await expect(examiner.getByTestId('trainee-answer').first()).toBeVisible();
	await shot(examiner, 'grading-short-zh');
	const forms = examiner.locator('form[action="?/grade"]');
	const count = await forms.count();
	for (let i = 0; i < count; i++) {
		const f = forms.nth(i);
		for (const input of await f.locator('input[type=number]').all())
			await input.fill((await input.getAttribute('max')) ?? '0');
		await f.locator('textarea').fill('要点基本齐全。');
		await f.getByRole('button', { name: '保存评分' }).click();
		await expect(examiner.getByRole('status').first()).toBeVisible();
	}
	await expect(examiner.getByText('本份作答已全部评阅完成。')).toBeVisible();
	await examiner.close();

	const trainee = await browser.newPage();
	await signIn(trainee, 'trainee5');
	await trainee.goto('/exams');
	await trainee.getByRole('link', { name: '查看成绩与解析' }).click();
	await expect(trainee.getByText(/得分 [\d.]+ \/ 100/)).toBeVisible();
	await expect(trainee.getByText('解析').first()).toBeVisible();
	await expect(trainee.getByText('要点基本齐全。').first()).toBeVisible();
	await shot(trainee, 'exam-review-zh', { fullPage: false });
});

test('the start answers only a post, and a refused start says why and leads back', async ({
	page
}) => {
	await signIn(page, 'trainee4');
	// Reached without a post and no test open: the exam's page.
	await page.goto('/exams/first-written/start');
	await expect(page).toHaveURL(/\/exams\/first-written$/);
	expect((await page.goto('/exams/no-such-test/start'))?.status()).toBe(404);
	await page.goto('/exams/first-written');
	// Stage one unfinished: no start button; a start posted anyway is refused with the same reason.
	await expect(page.getByRole('button', { name: '开始考试' })).toHaveCount(0);
	const reason = (await page.getByRole('status').last().textContent())!.trim();
	expect(reason).not.toBe('');
	await page.evaluate(() => {
		const form = document.createElement('form');
		form.method = 'POST';
		form.action = '/exams/first-written/start';
		document.body.append(form);
		form.submit();
	});
	await expect(page.getByRole('alert')).toHaveText(reason);
	await shot(page, 'exam-start-refused-zh', { fullPage: false });
	await page.getByRole('link', { name: '返回考试说明' }).click();
	await expect(page).toHaveURL(/\/exams\/first-written$/);
	await expect(page.getByRole('button', { name: '开始考试' })).toHaveCount(0);
});

test('the test works without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, 'trainee6');
	await finishStageOne(page);
	await page.goto('/exams/first-written');
	await page.getByRole('button', { name: '开始考试' }).click();
	// Without the script the address stays the start's; the form posts to the attempt itself.
	await expect(page).toHaveURL(/\/exams\/first-written\/start$/);
	const first = page.locator('fieldset:has(input[type=radio])').first();
	await first.locator('label').first().click();
	await page.getByRole('button', { name: '保存答案' }).click();
	await expect(page.getByText('答案已保存。')).toBeVisible();
	await expect(page).toHaveURL(/\/attempts\/[0-9a-f-]{36}\?\/save$/);
	await page.reload();
	await expect(
		page.locator('fieldset:has(input[type=radio])').first().locator('input').first()
	).toBeChecked();
	await page.getByRole('button', { name: '交卷' }).click();
	await expect(page.getByText('已交卷。')).toBeVisible();
	await context.close();
});
