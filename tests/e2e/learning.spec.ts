import { expect, test } from '@playwright/test';
import { setLanguage, shot, signIn, signOut } from './helpers';

test('a trainee studies a lesson to the end, sees progress move, and resumes after signing in again', async ({
	page
}) => {
	await signIn(page, 'trainee2');
	await expect(page).toHaveURL(/\/learn$/);
	await expect(page.getByText('已完成 0 / 28 课时')).toBeVisible();
	// Later courses say why they are locked.
	await expect(page.getByText(/需先完成：/).first()).toBeVisible();
	await shot(page, 'learn-home-zh');

	await page.getByTestId('resume').click();
	await expect(page).toHaveURL(/\/learn\/service-concepts\/what-is-service$/);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.getByRole('navigation', { name: '本课目录' }).first()).toBeVisible();
	await shot(page, 'lesson-zh');

	// An interactive element works inside the lesson.
	const quiz = page.locator('fieldset').first();
	await quiz.locator('label').first().click();
	await quiz.getByRole('button').first().click();
	await expect(quiz.locator('[aria-live]').first()).not.toBeEmpty();

	// Reading to the end completes the lesson.
	await page.locator('nav').last().scrollIntoViewIfNeeded();
	await page.mouse.wheel(0, 100000);
	await expect(page.getByTestId('lesson-completed')).toContainText('已自动记为完成');

	await page.goto('/learn');
	await expect(page.getByText('已完成 1 / 28 课时')).toBeVisible();
	await expect(page.getByRole('progressbar', { name: '服务理念' })).toHaveAttribute(
		'aria-valuenow',
		'25'
	);

	// Open the next lesson without finishing it, sign out and back in: "continue" goes there.
	await page.goto('/learn/service-concepts/three-essentials');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await page.goto('/learn');
	await signOut(page);
	await signIn(page, 'trainee2');
	await expect(page.getByTestId('resume')).toContainText('继续');
	await page.getByTestId('resume').click();
	await expect(page).toHaveURL(/\/learn\/service-concepts\/three-essentials$/);
});

test('mark-complete works without JavaScript, and a locked course cannot be opened', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, 'trainee3');
	await page.goto('/learn/service-concepts/why-service-matters');
	await page.getByRole('button', { name: '标记为已完成' }).click();
	await expect(page.getByText('本课已完成')).toBeVisible();
	const res = await page.goto('/learn/phone-etiquette/forbidden-expressions');
	expect(res?.status()).toBe(403);
	await context.close();
});

test('search finds Chinese words inside lessons', async ({ page }) => {
	await signIn(page, 'trainee');
	await page.goto('/learn/search?q=投诉处理单');
	await expect(page.getByText(/“投诉处理单”的搜索结果：\d+ 条/)).toBeVisible();
	await expect(page.locator('mark').first()).toHaveText('投诉处理单');
	await shot(page, 'learn-search-zh');
});

test('staff read the catalogue as trainees see it; trainees cannot open it', async ({ page }) => {
	await signIn(page, 'teacher');
	await page.goto('/catalog');
	await expect(page.getByRole('heading', { name: '课程目录' })).toBeVisible();
	await page.getByRole('link', { name: '电话接听礼仪' }).click();
	await page
		.getByRole('link')
		.filter({ hasText: /禁用语|禁忌/ })
		.first()
		.click();
	await expect(page.locator('article h1')).toBeVisible();
	await setLanguage(page, 'en');
	await expect(page.getByText('English summary')).toBeVisible();
	await shot(page, 'catalog-lesson-en');
	await setLanguage(page, 'zh-CN');
	await signOut(page);
	await signIn(page, 'trainee');
	expect((await page.goto('/catalog'))?.status()).toBe(403);
});
