import type { Transport } from '@sveltejs/kit';
import { RenderOnly } from '$lib/render-only';

export const transport: Transport = {
	RenderOnly: {
		encode: (value) => value instanceof RenderOnly && 'render-only',
		// Only pages without client-side rendering use it, so no browser ever decodes it.
		decode: () => {
			throw new Error('render-only page data cannot be used in the browser');
		}
	}
};
