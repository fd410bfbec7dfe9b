// Provided by the exam-client plugin in vite.config.ts.
declare module 'virtual:exam-client' {
	/** src/lib/exam-client/main.ts as one minified IIFE. */
	export const code: string;
	/** Content hash of `code`, part of the URL it is served at. */
	export const hash: string;
}
