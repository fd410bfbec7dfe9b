import { expect, test, type Page } from '@playwright/test';
import { shot, signIn, signOut } from './helpers';

const RUBRIC_ITEMS = [
	'call-type-reasoning',
	'problem-spotting',
	'questioning-techniques',
	'better-handling',
	'rewrite-lines',
	'rules-accuracy'
];

async function gradeAll(page: Page, role: 'marker' | 'moderator', level: 5 | 3 | 1) {
	for (const id of RUBRIC_ITEMS)
		await page.locator(`input[name="${role}-${id}"][value="${level}"]`).check();
	await expect(page.getByTestId('rubric-percent').first()).not.toHaveText('—%');
}

test('library player; a trainee analyses cases; two examiners grade, the teacher moderates and releases; the trainee sees the result', async ({
	page,
	browser
}) => {
	test.setTimeout(180_000);
	page.on('dialog', (d) => void d.accept());

	// The library and the player.
	await signIn(page, 'trainee7');
	await page.goto('/cases');
	await expect(page.getByRole('heading', { name: '录音案例库' })).toBeVisible();
	await expect(page.getByText(/另有 \d+ 个案例用于案例分析考核/)).toBeVisible();
	await page.getByRole('link', { name: '服务类' }).click();
	await expect(page).toHaveURL(/type=service/);
	const firstCase = page.locator('ul li.card a[href^="/cases/"]').first();
	const caseHref = (await firstCase.getAttribute('href'))!;
	await firstCase.click();
	await expect(page.getByTestId('play')).toBeEnabled({ timeout: 20_000 });
	await page.locator('[data-line="3"] button').first().click();
	await expect(page.locator('[data-line="3"]')).toHaveClass(/bg-teal-50/);
	await expect(page.getByTestId('checker-hits')).toHaveCount(0); // trainees: no checker hints in the library
	await shot(page, 'case-player-zh');

	// The audio: byte ranges, inline, not sniffed; only for signed-in people.
	const audio = await page.request.get(`${caseHref}/audio`, { headers: { Range: 'bytes=0-99' } });
	expect(audio.status()).toBe(206);
	expect(audio.headers()['content-range']).toMatch(/^bytes 0-99\/\d+$/);
	expect(audio.headers()['x-content-type-options']).toBe('nosniff');
	expect(audio.headers()['content-disposition']).toBe('inline');
	const anonymous = await browser.newContext();
	const anon = await anonymous.request.get(
		`http://localhost:${process.env.E2E_PORT ?? 4173}${caseHref}/audio`,
		{ maxRedirects: 0 }
	);
	expect([302, 303, 401, 403]).toContain(anon.status());
	await anonymous.close();

	// The case analysis.
	await page.goto('/case-analysis');
	await page.getByRole('button', { name: '开始考试' }).click();
	await expect(page).toHaveURL(/\/case-analysis\/[0-9a-f-]{36}$/);
	const attemptUrl = page.url();
	const data = await (await page.request.get(`${attemptUrl}/__data.json`)).text();
	for (const key of [
		'referenceClassification',
		'referenceAnalysis',
		'annotations',
		'callType',
		'criticalFailed',
		'"rubric"'
	])
		expect(data).not.toContain(key);

	const tabs = page.getByRole('tab');
	const count = await tabs.count();
	for (let i = 0; i < count; i++) {
		await tabs.nth(i).click();
		await page
			.getByRole('radiogroup', { name: '判断通话类别' })
			.getByText(i === 0 ? '一般投诉' : '服务类')
			.click();
		await page.getByTestId('mark-category').selectOption('forbidden-expression');
		await page.getByTestId('mark-line-3').click();
		await page.getByTestId('mark-category').selectOption('incomplete-close');
		await page
			.locator('[data-line]')
			.last()
			.getByRole('button', { name: /标记第/ })
			.click();
		await page
			.getByTestId('should')
			.fill(
				'先安抚情绪并致歉，复述确认问题，核验身份后再办理；结束时询问是否还有其他需要，告知热线，等客户先挂机。'
			);
		await page.getByTestId('rewrite-line-0').selectOption({ index: 1 });
		await page.getByTestId('rewrite-text-0').fill('很抱歉让您久等了，我马上为您查询，请您稍候。');
		if (i === 0) {
			await expect(page.getByTestId('save-status')).toContainText('已保存');
			await page.evaluate(() => window.scrollTo(0, 0));
			await shot(page, 'case-annotation-zh');
		}
	}
	await expect(page.getByTestId('save-status')).toContainText('已保存');
	await page.getByTestId('submit').click();
	await expect(page.getByText('已交卷')).toBeVisible();
	await signOut(page);

	// First marker: the examiner.
	await signIn(page, 'examiner');
	await page.goto('/grading');
	await page.locator('a[href^="/grading/cases/"]').first().click();
	await expect(page).toHaveURL(/\/grading\/cases\//);
	const gradingUrl = page.url();
	await expect(page.getByTestId('precision-recall')).toContainText('准确率');
	await gradeAll(page, 'marker', 5);
	await page.getByTestId('comment-input').fill('第 3 句处理得当，值得肯定。');
	await page.getByTestId('comment-input').press('Enter');
	await expect(page.getByTestId('grading-save-status')).toContainText('草稿已保存');
	await page.locator('aside').evaluate((el) => (el.scrollTop = 0));
	await page.evaluate(() => window.scrollTo(0, 0));
	await shot(page, 'case-grading-zh');

	// A second tab on an old version is refused with a clear message.
	const other = await page.context().newPage();
	await other.goto(gradingUrl);
	await page.locator('input[name="marker-rules-accuracy"][value="3"]').check();
	await expect(page.getByTestId('grading-save-status')).toContainText('草稿已保存');
	await other.locator('input[name="marker-rules-accuracy"][value="1"]').check();
	await expect(other.getByTestId('grading-conflict')).toContainText('另一个窗口');
	await other.close();

	await page.locator('input[name="marker-rules-accuracy"][value="5"]').check();
	await expect(page.getByTestId('grading-save-status')).toContainText('草稿已保存');
	await page.getByTestId('submit-marker').click();
	await expect(page.getByTestId('my-submitted')).toBeVisible();
	await signOut(page);

	// Second marker: the teacher, far apart → moderation by the homeroom teacher.
	await signIn(page, 'teacher');
	await page.goto(gradingUrl);
	await expect(page.getByTestId('other-grading')).toHaveCount(0); // blind until both submit
	await gradeAll(page, 'marker', 1);
	await page.locator('input[name="marker-rules-accuracy"][value="3"]').check();
	await expect(page.getByTestId('grading-save-status')).toContainText('草稿已保存');
	await page.getByTestId('submit-marker').click();
	await expect(page.getByTestId('marking-status')).toContainText('需仲裁');
	await expect(page.getByTestId('other-grading')).toHaveCount(2);
	await gradeAll(page, 'moderator', 3);
	await page
		.getByTestId('moderation-reason')
		.fill('两位考官分歧较大；分类和改进建议基本到位，改写仍显生硬，取中间档。');
	await expect(page.getByTestId('grading-save-status')).toContainText('草稿已保存');
	await page.locator('aside').evaluate((el) => (el.scrollTop = 0));
	await shot(page, 'case-moderation-zh');
	await page.getByTestId('submit-moderator').click();
	await expect(page.getByTestId('marking-status')).toContainText('最终成绩');

	await page.goto('/grading/calibration');
	await expect(page.getByTestId('calibration')).toContainText('陈刚');
	await shot(page, 'case-calibration-zh');

	await page.goto('/grading');
	await page.locator('form:has(input[name="exam"][value="case-analysis"]) button').click();
	await expect(page.getByText(/已发布/).first()).toBeVisible();
	await signOut(page);

	// The trainee sees the result with the reference and the checker's hints.
	await signIn(page, 'trainee7');
	await page.goto(attemptUrl);
	await expect(page.getByTestId('ca-result')).toContainText('%');
	await expect(page.getByText('两位考官分歧较大')).toBeVisible();
	await shot(page, 'case-result-zh');
});
