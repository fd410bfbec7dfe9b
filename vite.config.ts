import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [tailwindcss(), sveltekit()],
	server: { fs: { allow: ['content'] } },
	test: {
		include: ['src/**/*.test.ts'],
		setupFiles: ['src/lib/server/db/test-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000
	}
});
