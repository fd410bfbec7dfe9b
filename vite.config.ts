import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { checkContentOnDisk } from './src/lib/server/content/check';

/** Validates content/ when a build starts: a broken file fails the build with path and line. */
function contentCheck(): Plugin {
	return {
		name: 'content-check',
		apply: 'build',
		buildStart() {
			const report = checkContentOnDisk(resolve('content'));
			if (report.errors.length)
				this.error(`content is not valid:\n  ${report.errors.join('\n  ')}`);
		}
	};
}

export default defineConfig({
	plugins: [contentCheck(), tailwindcss(), sveltekit()],
	server: { fs: { allow: ['content'] } },
	test: {
		include: ['src/**/*.test.ts'],
		setupFiles: ['src/lib/server/db/test-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000
	}
});
