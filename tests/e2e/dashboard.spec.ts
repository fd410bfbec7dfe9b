import { expect, test } from '@playwright/test';
import { setLanguage, shot, signIn, signOut } from './helpers';

// Demo data: 王芳 passed all three stages (certificate today); 刘洋's elimination at the first
// stage was corrected to a retrain. Everything else in the demo cohort has no decision yet.
// Other spec files decide in cohorts of their own (and the exact figures are tested against a
// known data set in dashboard.test.ts), so overall figures are checked for shape and the demo
// cohort's row for its exact values.
test('HR opens the dashboard from the records and sees the demo figures in charts and tables', async ({
	page
}) => {
	await signIn(page, 'hr');
	await page.goto('/records');
	await page.getByRole('link', { name: '统计看板' }).click();
	await expect(page).toHaveURL(/\/records\/dashboard$/);
	await expect(page.getByRole('heading', { level: 1, name: '认证统计' })).toBeVisible();

	await expect(page.getByTestId('kpi-certified').getByTestId('kpi-value')).toHaveText(/^[1-9]\d*$/);
	await expect(page.getByTestId('kpi-pass-rate').getByTestId('kpi-value')).toHaveText(
		/^\d+(\.\d)?%$/
	);
	await expect(page.getByTestId('kpi-pass-rate')).toContainText(/\d+ \/ \d+ 个首次决定/);
	await expect(page.getByTestId('kpi-rates').getByTestId('kpi-value')).toHaveText(
		/^\d+(\.\d)?% \/ \d+(\.\d)?%$/
	);
	await expect(page.getByTestId('kpi-days').getByTestId('kpi-value')).toHaveText(/^\d+(\.\d)? 天$/);

	const stages = page.getByTestId('stage-table').locator('tbody tr');
	await expect(stages).toHaveCount(3);
	await expect(stages.nth(0).locator('td').first()).toHaveText('第一阶段：基础知识与第一次考核');

	// Charts are drawn (server-rendered SVG): 12 month bars, 3 stage bars.
	await expect(page.getByTestId('chart-month').locator('svg rect.lc-bar')).toHaveCount(12);
	await expect(page.getByTestId('chart-stage').locator('svg rect.lc-bar')).toHaveCount(3);
	const cohortRow = page
		.getByTestId('cohort-table')
		.locator('tbody tr', { hasText: '2026 年第一期新员工培训班' });
	await expect(cohortRow.locator('td').nth(2)).toHaveText('1');
	await expect(cohortRow.locator('td').nth(3)).toHaveText('75%');
	const teacherRow = page.getByTestId('teacher-table').locator('tbody tr', { hasText: '张丽华' });
	await expect(teacherRow.locator('td').nth(4)).toHaveText(/^\d+(\.\d)?%$/);
	await shot(page, 'records-dashboard-zh');

	// Sorting by a column and a date range with nothing in it.
	await page.getByTestId('cohort-table').getByRole('link', { name: '已认证' }).click();
	await expect(page).toHaveURL(/sort=certified&dir=desc/);
	await page.locator('#from').fill('2020-01-01');
	await page.locator('#to').fill('2020-03-31');
	await page.getByRole('button', { name: '筛选' }).click();
	await expect(page.getByTestId('kpi-certified').getByTestId('kpi-value')).toHaveText('0');
	await expect(page.getByTestId('kpi-pass-rate').getByTestId('kpi-value')).toHaveText('—');
	await expect(page.getByTestId('chart-stage')).toContainText('暂无数据');

	// The charts are in the server-rendered HTML, not only drawn after hydration.
	const html = await (await page.request.get('/records/dashboard')).text();
	expect(html.match(/lc-bars-bar/g)?.length).toBe(15);

	await page.goto('/records/dashboard');
	await setLanguage(page, 'en');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Certification figures' })
	).toBeVisible();
	await expect(page.getByTestId('kpi-days').getByTestId('kpi-value')).toHaveText(
		/^\d+(\.\d)? days$/
	);
	await shot(page, 'records-dashboard-en');
	await setLanguage(page, 'zh-CN');
	await signOut(page);
});

test('teachers cannot open the dashboard', async ({ page }) => {
	await signIn(page, 'teacher');
	expect((await page.goto('/records/dashboard'))?.status()).toBe(403);
});
