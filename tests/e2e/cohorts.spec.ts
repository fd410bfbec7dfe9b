import { expect, test, type Page } from '@playwright/test';
import { shot, signIn, signOut } from './helpers';

const stamp = Date.now() % 1_000_000;
const cohortName = `E2E 培训班 ${stamp}`;

function csv(rows: string[][]): { name: string; mimeType: string; buffer: Buffer } {
	const text =
		'\uFEFF' +
		rows
			.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
			.join('\r\n');
	return { name: 'trainees.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

async function decide(page: Page, outcome: '通过' | '再培训', reason: string) {
	await page.getByLabel(outcome, { exact: true }).check();
	await page.getByLabel('理由（必填）').fill(reason);
	await page.locator('input[name="evidence"]').first().check();
	if (outcome === '再培训') {
		await page.locator('input[name="assessments"]').first().check();
		await page.locator('input[name="lessons"]').first().check();
	}
	const rows = page.getByTestId('decision-history').locator('tbody tr[data-decision]');
	const before = await rows.count();
	await page.getByRole('button', { name: '记录决定' }).click();
	await expect(rows).toHaveCount(before + 1);
	await expect(page.getByTestId('decision-saved')).toBeVisible();
}

test('a teacher runs a cohort from import to the last decision', async ({ page }) => {
	test.setTimeout(120_000);
	// Admin creates the cohort with the demo teacher.
	await signIn(page, 'admin');
	await page.goto('/cohorts/new');
	await page.getByRole('button', { name: '创建' }).click();
	await expect(page.getByText('此项必填。').first()).toBeVisible();
	await page.getByLabel('班级名称').fill(cohortName);
	await page.getByLabel('开始日期').fill('2026-03-01');
	await page.getByLabel('结束日期').fill('2026-04-15');
	await page.getByLabel('培训班主任').selectOption({ label: '张丽华（teacher）' });
	await page.getByLabel('陈刚').check();
	await shot(page, 'cohorts-new');
	await page.getByRole('button', { name: '创建' }).click();
	await expect(page.getByRole('heading', { level: 1, name: cohortName })).toBeVisible();
	await signOut(page);

	// The teacher imports: a file with errors first (nothing imported), then a clean one.
	await signIn(page, 'teacher');
	await page.getByRole('link', { name: cohortName }).click();
	await page.getByRole('link', { name: '导入学员' }).click();
	const header = ['姓名', '工号', '手机', '邮箱', '账号'];
	await page
		.getByLabel('学员名单文件')
		.setInputFiles(
			csv([
				header,
				['钱多多', `Q${stamp}1`, '13800000001', 'qdd@example.com', `qdd${stamp}`],
				['', `Q${stamp}2`, '', 'bad-email', `qdd${stamp}`],
				['管理员同名', '', '', '', 'admin']
			])
		);
	await page.getByRole('button', { name: '上传并预览' }).click();
	await expect(page.getByTestId('import-not-clean')).toContainText('2 行存在问题');
	await expect(page.getByTestId('preview')).toContainText('与文件第 2 行重复');
	await expect(page.getByTestId('preview')).toContainText('该账号不是学员账号');
	await shot(page, 'cohorts-import-errors');
	await expect(page.getByRole('button', { name: /确认导入/ })).toHaveCount(0);
	await page
		.getByLabel('学员名单文件')
		.setInputFiles(
			csv([
				header,
				['钱多多', `Q${stamp}1`, '13800000001', 'qdd@example.com', `qdd${stamp}`],
				['"小"孙, 同学', `Q${stamp}2`, '', 'xs@example.com', '']
			])
		);
	await page.getByRole('button', { name: '上传并预览' }).click();
	await expect(page.getByText('文件检查通过')).toBeVisible();
	await shot(page, 'cohorts-import-preview');
	await page.getByRole('button', { name: '确认导入 2 位学员' }).click();
	await expect(page.getByTestId('import-done')).toHaveText('已导入 2 位学员。');
	await expect(page.getByTestId('passwords')).toContainText(`q${stamp}2`);
	await shot(page, 'cohorts-import-done');
	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: /下载账号与一次性密码/ }).click();
	expect((await download).suggestedFilename()).toContain('passwords.csv');

	// The grid, then the pre-training interview.
	await page.getByRole('link', { name: '回到班级' }).click();
	await expect(page.getByTestId('cohort-grid')).toContainText('钱多多');
	await shot(page, 'cohorts-grid');
	await page.getByRole('link', { name: '钱多多' }).click();
	await page.getByRole('link', { name: '培训前沟通记录' }).click();
	await page.getByRole('button', { name: '定稿' }).click();
	await expect(page.getByTestId('profile-error')).toContainText('项没有评分');
	const items = page.locator('[data-testid^="item-"]');
	const count = await items.count();
	expect(count).toBe(16);
	for (let i = 0; i < count; i++)
		await items
			.nth(i)
			.locator(`input[type=radio][value="${i % 5 === 0 ? 1 : i % 2 ? 3 : 5}"]`)
			.check();
	await page.locator('#note-restating').fill('复述时漏掉了客户的地址');
	await page.getByLabel(/总体评价/).fill('沟通积极，复述能力需要加强。');
	await page.getByRole('button', { name: '保存草稿' }).click();
	await expect(page.getByTestId('profile-saved')).toBeVisible();
	await shot(page, 'cohorts-profile-form');
	await page.getByRole('button', { name: '定稿' }).click();
	await expect(page.getByTestId('dossier')).toBeVisible();
	await expect(page.getByTestId('enrollment-status')).toHaveText('培训中');
	await expect(page.getByTestId('weaknesses')).toContainText('自我介绍');
	await page.getByLabel('类型').selectOption({ label: '谈话' });
	await page.getByLabel('内容').fill('了解了学员对夜班的顾虑。');
	await page.getByRole('button', { name: '保存记录' }).click();
	await expect(page.getByTestId('timeline')).toContainText('了解了学员对夜班的顾虑');
	await shot(page, 'cohorts-dossier');

	// Decisions: a retrain with a plan, then a pass at every stage.
	await page.getByRole('link', { name: '阶段决定' }).click();
	await page.getByRole('button', { name: '记录决定' }).click();
	await expect(page.getByTestId('decision-error')).toContainText('理由');
	await decide(page, '再培训', '笔试没有达到及格线，需要重学产品知识。');
	await expect(page.getByTestId('stage-status')).toHaveText('培训中');
	await shot(page, 'cohorts-decision-retrain');
	for (const stage of ['第一阶段', '第二阶段', '第三阶段'])
		await decide(page, '通过', `${stage}成绩达标。`);
	await expect(page.getByTestId('decision-saved')).toHaveText(
		'最后一个阶段已通过，该学员可以进入上岗认证。'
	);
	await expect(page.getByTestId('stage-status')).toHaveText('待认证');
	await expect(page.getByTestId('decision-history').locator('tbody tr[data-decision]')).toHaveCount(
		4
	);
	await shot(page, 'cohorts-decisions-final');

	// The plan and the summary template with the cohort's figures.
	await page.goto('/cohorts');
	await page.getByRole('link', { name: cohortName }).click();
	await page.getByRole('link', { name: '班级计划与总结' }).click();
	await page.getByRole('button', { name: /插入总结模板/ }).click();
	await page
		.locator('#sm')
		.locator('xpath=ancestor::form')
		.getByRole('button', { name: '保存' })
		.click();
	await expect(page.getByTestId('summary-html')).toContainText('在班学员 2 人');
	await shot(page, 'cohorts-plan-summary');
});

test('two tabs deciding the same stage: one wins, the other sees a conflict', async ({
	browser
}) => {
	const a = await browser.newPage();
	await signIn(a, 'teacher');
	await a.goto('/cohorts');
	await a.getByRole('link', { name: '2026 年第一期新员工培训班' }).click();
	await a.getByRole('link', { name: '刘洋' }).click();
	await a.getByRole('link', { name: '阶段决定' }).click();
	const b = await browser.newPage();
	await signIn(b, 'teacher');
	await b.goto(a.url());
	await decide(a, '通过', '再培训后成绩达标。');
	await b.getByLabel('通过', { exact: true }).check();
	await b.getByLabel('理由（必填）').fill('同一阶段的另一份决定');
	await b.locator('input[name="evidence"]').first().check();
	await b.getByRole('button', { name: '记录决定' }).click();
	await expect(b.getByTestId('decision-error')).toContainText('另一位老师刚刚更新');
	await shot(b, 'cohorts-decision-conflict');
	await a.close();
	await b.close();
});

test('a trainee types a passage with real IME composition events; the teacher sees the attempt', async ({
	page,
	browser
}) => {
	await signIn(page, 'trainee3');
	await page.goto('/typing');
	const passage = (await page.getByTestId('passage').textContent())!.replace(/\s+/g, '');
	const box = page.getByLabel('在此输入');
	await box.click();
	const cdp = await page.context().newCDPSession(page);
	const chunks = passage.slice(0, 60).match(/.{1,6}/g)!;
	for (const chunk of chunks) {
		// Pinyin keystrokes are a composition: nothing is counted until it is committed.
		await cdp.send('Input.imeSetComposition', {
			text: 'pinyin',
			selectionStart: 6,
			selectionEnd: 6
		});
		await cdp.send('Input.imeSetComposition', {
			text: 'pinyinzi',
			selectionStart: 8,
			selectionEnd: 8
		});
		await cdp.send('Input.insertText', { text: chunk });
		await page.waitForTimeout(800);
	}
	await expect(page.getByTestId('live')).toContainText('已输入 60 字');
	await shot(page, 'typing-test');
	await page.getByRole('button', { name: '提交成绩' }).click();
	await expect(page.getByTestId('typing-result')).toContainText('字/分钟');
	await expect(page.getByTestId('typing-result')).toContainText('正确率 100%');
	await shot(page, 'typing-result');
	await page.goto('/me/dossier');
	await expect(page.getByTestId('timeline')).toContainText('打字测试');
	await shot(page, 'my-dossier');
	await page.goto('/cohorts');
	expect((await page.goto('/cohorts'))?.status()).toBe(403);

	const teacher = await browser.newPage();
	await signIn(teacher, 'teacher');
	await teacher.getByRole('link', { name: '2026 年第一期新员工培训班' }).click();
	await teacher.getByRole('link', { name: '孙浩' }).click();
	await expect(teacher.getByTestId('timeline')).toContainText('打字测试');
	await teacher.close();
});

test('HR reads a dossier without private notes; the demo dossier shows its history', async ({
	page
}) => {
	await signIn(page, 'teacher');
	await page.getByRole('link', { name: '2026 年第一期新员工培训班' }).click();
	await page.getByRole('link', { name: '刘洋' }).click();
	await expect(page.getByTestId('timeline')).toContainText('夜班顾虑');
	const url = page.url();
	const userId = url.split('/trainees/')[1];
	await shot(page, 'dossier-teacher');
	await signOut(page);
	await signIn(page, 'hr');
	await page.goto(`/dossier/${userId}`);
	await expect(page.getByTestId('timeline')).toContainText('主动帮助同学');
	await expect(page.getByTestId('timeline')).not.toContainText('夜班顾虑');
	await shot(page, 'dossier-hr');
	await page.emulateMedia({ media: 'print' });
	await shot(page, 'dossier-print');
});

test('the cohort grid filters and pages on the server, and works without JavaScript', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await signIn(page, 'teacher');
	await page.goto('/cohorts');
	await page.getByRole('link', { name: '2026 年第一期新员工培训班' }).click();
	await expect(page.getByTestId('grid-total')).toContainText(/共 \d+ 名学员/);
	await page.getByLabel('搜索').fill('刘洋');
	await page.getByRole('button', { name: '搜索' }).click();
	await expect(page).toHaveURL(/q=/);
	await expect(page.getByTestId('grid-total')).toHaveText('共 1 名学员');
	await expect(page.getByTestId('cohort-grid').locator('tbody tr')).toHaveCount(1);
	await context.close();
});
