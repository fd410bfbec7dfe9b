// The exam page's items, rendered apart from the page: at a cohort's synchronised start every
// page shows the same few hundred items, unanswered, so an unanswered item's body is rendered
// once per choice order and language and its head once per number, points and language, and a
// page only joins strings.
import { render } from 'svelte/server';
import ExamItemBody from '$lib/components/exam/ExamItemBody.svelte';
import ExamItemHead from '$lib/components/exam/ExamItemHead.svelte';
import { getLocale } from '$lib/paraglide/runtime';
import type { ServedItem } from '../exams/draw';

// Svelte marks blocks with comments for hydration; the exam page is never hydrated (csr = false)
// and these were a tenth of its bytes. Authored text cannot hold a comment: stems are rendered
// with raw HTML escaped, and everything else is escaped by Svelte.
const HYDRATION_MARKERS = /<!--[[\]!\-a-z0-9]*-->/g;
// Stored as one flat string: the renderer's output is a chain of thousands of small pieces,
// which every page containing it would otherwise walk again when it joins its own HTML.
const flat = (html: string) => Buffer.from(html.replace(HYDRATION_MARKERS, '')).toString();

// Keyed by the served item object: servedPaper shares one per bank version, item and choice
// order, and drops them when its memo is full, which frees these too.
const unanswered = new WeakMap<ServedItem, Map<string, string>>();

/** The item's stem and answer controls as HTML, showing `value` (null: not answered). */
export function itemBodyHtml(item: ServedItem, stemHtml: string, value: unknown): string {
	const html = () => flat(render(ExamItemBody, { props: { item, stemHtml, value } }).body);
	if (value !== null) return html();
	let byLocale = unanswered.get(item);
	if (!byLocale) unanswered.set(item, (byLocale = new Map()));
	const locale = getLocale();
	let cached = byLocale.get(locale);
	if (cached === undefined) byLocale.set(locale, (cached = html()));
	return cached;
}

// A few hundred at most: numbers run to the longest paper, points to a handful of values.
const heads = new Map<string, string>();

function itemHeadHtml(number: number, points: number): string {
	const key = `${getLocale()}/${number}/${points}`;
	let html = heads.get(key);
	if (html === undefined)
		heads.set(key, (html = flat(render(ExamItemHead, { props: { number, points } }).body)));
	return html;
}

const attribute = (s: string) =>
	s.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]!);

/** One item of the exam form: a fieldset (found by the exam script and by `#q-<id>` links) with
 *  its head and body. */
export function itemHtml(
	item: ServedItem,
	number: number,
	stemHtml: string,
	value: unknown
): string {
	const id = attribute(item.id);
	return (
		`<fieldset class="exam-item" id="q-${id}" data-item="${id}">` +
		itemHeadHtml(number, item.points) +
		itemBodyHtml(item, stemHtml, value) +
		'</fieldset>'
	);
}
