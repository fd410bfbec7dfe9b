import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { rolldown } from 'rolldown';
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

/** `virtual:exam-client`: src/lib/exam-client/main.ts bundled on its own (no framework, no kit
 *  runtime) into one minified IIFE, as a string with its content hash, for the route that serves
 *  it (src/routes/exam-client.[hash].js). Rebuilt in dev when one of its files changes. */
function examClient(): Plugin {
	const id = 'virtual:exam-client';
	const entry = resolve('src/lib/exam-client/main.ts');
	let files = new Set<string>();
	return {
		name: 'exam-client',
		resolveId: (source) => (source === id ? '\0' + id : undefined),
		async load(source) {
			if (source !== '\0' + id) return;
			const bundle = await rolldown({
				input: entry,
				platform: 'browser',
				resolve: { alias: { $lib: resolve('src/lib') } },
				logLevel: 'warn'
			});
			try {
				const { output } = await bundle.generate({ format: 'iife', minify: true, comments: false });
				const chunk = output[0];
				files = new Set(chunk.moduleIds.filter((f) => !f.startsWith('\0')));
				for (const f of files) this.addWatchFile(f);
				const hash = createHash('sha256').update(chunk.code).digest('base64url').slice(0, 12);
				return `export const code = ${JSON.stringify(chunk.code)};\nexport const hash = ${JSON.stringify(hash)};`;
			} finally {
				await bundle.close();
			}
		},
		hotUpdate({ file }) {
			if (!files.has(file)) return;
			const mod = this.environment.moduleGraph.getModuleById('\0' + id);
			if (mod) this.environment.moduleGraph.invalidateModule(mod);
		}
	};
}

export default defineConfig({
	plugins: [contentCheck(), examClient(), tailwindcss(), sveltekit()],
	server: { fs: { allow: ['content'] } },
	test: {
		include: ['src/**/*.test.ts'],
		globalSetup: ['src/lib/server/db/test-global-setup.ts'],
		setupFiles: ['src/lib/server/db/test-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000
	}
});
