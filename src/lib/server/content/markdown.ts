import { Marked } from 'marked';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// Question stems and explanations are short markdown written by instructors; raw HTML in them
// is shown as text, never interpreted.
const marked = new Marked({ gfm: true, breaks: true, renderer: { html: ({ text }) => escape(text) } });

export function renderMarkdown(source: string): string {
	return marked.parse(source, { async: false });
}

/** Fill-in blanks (`___`) become numbered gaps so the inputs below can refer to them. */
export function renderStem(stem: string): string {
	let n = 0;
	return renderMarkdown(stem.replace(/_{3,}/g, () => `<u>（${++n}）</u>`)).replace(/&lt;u&gt;（(\d+)）&lt;\/u&gt;/g, '<span class="blank">（$1）</span>');
}
