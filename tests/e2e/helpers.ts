import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const DEMO_PASSWORD = 'demo-pass-2026';

export async function signIn(page: Page, login: string, password = DEMO_PASSWORD) {
	await page.goto('/login');
	await page.locator('input[name="login"]').fill(login);
	await page.locator('input[name="password"]').fill(password);
	await page.locator('form button.btn-primary').click();
	await expect(page).not.toHaveURL(/\/login/);
}

export async function signOut(page: Page) {
	await page.locator('form[action="/logout"] button').click();
	await expect(page).toHaveURL(/\/login/);
}

export async function setLanguage(page: Page, locale: 'zh-CN' | 'en') {
	await page.locator(`form[action="/language"] button[value="${locale}"]`).click();
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
}

/** Screenshots for people to look at; kept out of git. */
export async function shot(page: Page, name: string, { fullPage = true } = {}) {
	mkdirSync('test-results/screens', { recursive: true });
	await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage });
}
