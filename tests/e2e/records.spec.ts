import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { shot, signIn, signOut } from './helpers';

test('HR finds a certified person, downloads the PDF, verifies it publicly, exports and revokes', async ({
	page,
	browser
}) => {
	await signIn(page, 'hr');
	await expect(page).toHaveURL(/\/records$/);
	await expect(page.getByRole('heading', { level: 1, name: '认证档案' })).toBeVisible();
	await shot(page, 'records-list-zh');

	// Find the person by part of the Chinese name.
	await page.locator('#q').fill('芳');
	await page.getByRole('button', { name: '筛选' }).click();
	await expect(page).toHaveURL(/q=%E8%8A%B3/);
	const row = page.locator('tbody tr', { hasText: '王芳' });
	await expect(row).toHaveCount(1);
	await expect(row.getByText('已认证')).toBeVisible();

	// The record traces the certificate back.
	await row.getByRole('link', { name: '王芳' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '认证记录：王芳' })).toBeVisible();
	await expect(page.getByTestId('certificate-number')).toHaveText(/^XLKF-\d{4}-\d{6}$/);
	await expect(page.getByTestId('certificate-state')).toHaveText('有效');
	await expect(page.getByText('模拟上岗通话处理规范，准予正式上岗。').first()).toBeVisible();
	await shot(page, 'records-detail-zh');
	const recordUrl = page.url();

	// PDF download.
	const [pdf] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: '下载 PDF' }).click()
	]);
	const bytes = readFileSync((await pdf.path())!);
	expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
	expect(bytes.length).toBeLessThan(300_000);
	expect(pdf.suggestedFilename()).toMatch(/^XLKF-\d{4}-\d{6}\.pdf$/);

	// The printable certificate carries the QR code's URL.
	await page.getByRole('link', { name: '查看证书' }).click();
	await expect(page.getByTestId('certificate-holder')).toHaveText('王芳');
	await shot(page, 'certificate-page-zh');
	const verifyUrl = (await page.getByTestId('verify-link').getAttribute('href'))!;
	expect(verifyUrl).toMatch(/\/verify\?code=[A-Z2-7]{16}$/);

	// Anyone can verify it without signing in.
	const anon = await browser.newContext({ locale: 'zh-CN' });
	const pub = await anon.newPage();
	await pub.goto(verifyUrl);
	await expect(pub.getByTestId('verify-result')).toHaveAttribute('data-state', 'valid');
	await expect(pub.getByTestId('verify-holder')).toHaveText('王芳');
	await expect(pub.getByText('证书有效')).toBeVisible();
	await expect(pub.getByText('X2026004')).toHaveCount(0); // nothing personal beyond the name
	await shot(pub, 'verify-valid-zh');
	await pub.goto('/verify?code=AAAA-BBBB-CCCC-DDDD');
	await expect(pub.getByTestId('verify-result')).toHaveAttribute('data-state', 'not_found');
	await expect(pub.getByText('未找到该证书。')).toBeVisible();

	// Export the list to Excel and read the Chinese back.
	await page.goto('/records');
	const [xlsx] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: '导出 Excel' }).click()
	]);
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
	const ws = wb.getWorksheet('认证档案')!;
	const header = (ws.getRow(1).values as unknown[]).slice(1);
	expect(header).toEqual([
		'姓名',
		'工号',
		'班级',
		'班主任',
		'培训项目',
		'状态',
		'入班日期',
		'证书编号',
		'发证日期',
		'有效期至',
		'平均成绩',
		'最终阶段成绩'
	]);
	const names: unknown[] = [];
	ws.eachRow((r, i) => i > 1 && names.push(r.getCell(1).value));
	expect(names).toContain('王芳');
	const [csv] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: '导出 CSV' }).click()
	]);
	const csvBytes = readFileSync((await csv.path())!);
	expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	expect(csvBytes.toString('utf8')).toContain('王芳');

	// Revoke with a reason; the public page changes.
	await page.goto(recordUrl);
	await page.getByRole('button', { name: '撤销证书' }).click(); // the reason is required: nothing happens
	await expect(page.getByTestId('certificate-state')).toHaveText('有效');
	await page.getByLabel('撤销原因（必填，将记录在案）').fill('复核发现模拟上岗录音与本人不符。');
	await page.getByRole('button', { name: '撤销证书' }).click();
	await expect(page.getByText('证书已撤销。')).toBeVisible();
	await expect(page.getByTestId('certificate-state')).toHaveText('已撤销');
	await expect(page.getByTestId('revoked-info')).toContainText('复核发现模拟上岗录音与本人不符');
	await shot(page, 'records-revoked-zh');
	await pub.goto(verifyUrl);
	await expect(pub.getByTestId('verify-result')).toHaveAttribute('data-state', 'revoked');
	await expect(pub.getByText('证书已撤销')).toBeVisible();
	await shot(pub, 'verify-revoked-zh');
	await anon.close();

	await page.goto('/records/expiring');
	await shot(page, 'records-expiring-zh');
	await signOut(page);
});

test('teachers cannot open HR records; a trainee sees only their own certificate', async ({
	page
}) => {
	await signIn(page, 'teacher');
	const denied = await page.goto('/records');
	expect(denied?.status()).toBe(403);
	await page.goto('/cohorts');
	await signOut(page);

	await signIn(page, 'trainee4');
	await page.goto('/me/certificates');
	await expect(page.getByRole('heading', { level: 1, name: '我的证书' })).toBeVisible();
	await page.locator('a[href^="/certificates/"]').first().click();
	await expect(page.getByTestId('certificate-holder')).toHaveText('王芳');
	await shot(page, 'certificate-trainee-zh');
	const own = page.url();
	await signOut(page);

	await signIn(page, 'trainee2');
	const other = await page.goto(own);
	expect(other?.status()).toBe(403);
});
