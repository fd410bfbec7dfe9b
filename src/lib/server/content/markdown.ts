import { Marked } from 'marked';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Only links a reader can follow safely: web, mail and same-site paths. */
const safeHref = (href: string) => (/^(https?:|mailto:|\/(?!\/)|#)/i.test(href.trim()) ? href.trim() : null);

// One renderer for all markdown shown as HTML: question stems and explanations written by
// instructors, and the class plans and summaries teachers write in the app. Raw HTML is shown
// as text, never interpreted; links go only where it is safe; images are not embedded.
const marked = new Marked({
	gfm: true,
	breaks: true,
	renderer: {
		html: ({ text }) => escape(text),
		link({ href, tokens }) {
			const label = this.parser.parseInline(tokens);
			const safe = safeHref(href);
			return safe ? `<a href="${escape(safe)}" rel="noopener noreferrer">${label}</a>` : label;
		},
		image: ({ text }) => escape(text)
	}
});

export function renderMarkdown(source: string): string {
	return marked.parse(source, { async: false });
}

// Stems come from the question banks: a few hundred distinct texts served to a whole cohort,
// so each is rendered once. Bounded, in case a bank is edited many times without a restart.
const stemCache = new Map<string, string>();

/** Fill-in blanks (`___`) become numbered gaps so the inputs below can refer to them. */
export function renderStem(stem: string): string {
	const cached = stemCache.get(stem);
	if (cached !== undefined) return cached;
	let n = 0;
	const html = renderMarkdown(stem.replace(/_{3,}/g, () => `<u>（${++n}）</u>`)).replace(
		/&lt;u&gt;（(\d+)）&lt;\/u&gt;/g,
		'<span class="blank">（$1）</span>'
	);
	if (stemCache.size >= 5000) stemCache.clear();
	stemCache.set(stem, html);
	return html;
}
