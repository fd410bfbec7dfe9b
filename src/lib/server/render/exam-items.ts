// The exam page's items, rendered apart from the page so that an unanswered item is rendered
// once per choice order and language rather than once per trainee: at a cohort's synchronised
// start every page shows the same few hundred items, unanswered.
import { render } from 'svelte/server';
import ExamItemBody from '$lib/components/exam/ExamItemBody.svelte';
import { getLocale } from '$lib/paraglide/runtime';
import type { ServedItem } from '../exams/draw';

// Keyed by the served item object: servedPaper shares one per bank version, item and choice
// order, and drops them when its memo is full, which frees these too.
const unanswered = new WeakMap<ServedItem, Map<string, string>>();

/** The item's stem and answer controls as HTML, showing `value` (null: not answered). */
export function itemBodyHtml(item: ServedItem, stemHtml: string, value: unknown): string {
	const html = () => render(ExamItemBody, { props: { item, stemHtml, value } }).body;
	if (value !== null) return html();
	let byLocale = unanswered.get(item);
	if (!byLocale) unanswered.set(item, (byLocale = new Map()));
	const locale = getLocale();
	let cached = byLocale.get(locale);
	// Stored as one flat string: the renderer's output is a chain of thousands of small pieces,
	// which every page containing it would otherwise walk again when it joins its own HTML.
	if (cached === undefined) byLocale.set(locale, (cached = Buffer.from(html()).toString()));
	return cached;
}
