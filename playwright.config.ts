import { defineConfig, devices } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Debian's chromium where it is installed (Playwright cannot download its own browser here).
const systemChromium = '/usr/bin/chromium';
const port = Number(process.env.E2E_PORT ?? 4173);
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'e2e-data-'));

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: `http://localhost:${port}`,
		locale: 'zh-CN',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					executablePath: existsSync(systemChromium) ? systemChromium : undefined,
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
						'--use-fake-device-for-media-stream',
						'--use-fake-ui-for-media-stream'
					]
				}
			}
		}
	],
	webServer: {
		// On PostgreSQL the suite runs against two app processes (src/cluster.js), as a 2-core
		// deployment would: sessions, throttles and attempts must not depend on which one answers.
		// On PGlite it runs the server exactly as `npm start` does (its ORIGIN default included).
		command: process.env.E2E_DATABASE_URL ? 'node src/cluster.js' : 'npm run start:demo',
		port,
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'pipe',
		env: {
			PORT: String(port),
			DATA_DIR: dataDir,
			DEMO_DATA: '1',
			...(process.env.E2E_DATABASE_URL
				? {
						DATABASE_URL: process.env.E2E_DATABASE_URL,
						WEB_CONCURRENCY: '2',
						ORIGIN: `http://localhost:${port}`
					}
				: {})
		}
	}
});
