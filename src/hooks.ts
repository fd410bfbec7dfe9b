import type { Transport } from '@sveltejs/kit';
import { RenderOnly } from '$lib/render-only';

export const transport: Transport = {
	RenderOnly: {
		encode: (value) => value instanceof RenderOnly && 'render-only',
		// Only pages without client-side rendering use it. The client router would decode it when
		// a link reaches such a page, so links to them load the page in full (data-sveltekit-reload).
		decode: () => {
			throw new Error('render-only page data cannot be used in the browser');
		}
	}
};
