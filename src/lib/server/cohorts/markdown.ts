// A small, safe markdown renderer for the class plan and summary: headings, lists, bold,
// italics, tables of "|" rows and paragraphs. Everything is escaped first; no raw HTML passes.
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const inline = (s: string) =>
	esc(s)
		.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
		.replace(/(^|[^*])\*(?!\s)(.+?)\*/g, '$1<em>$2</em>')
		.replace(/`([^`]+)`/g, '<code>$1</code>');

export function renderMarkdown(src: string): string {
	const out: string[] = [];
	let list: 'ul' | 'ol' | null = null;
	let para: string[] = [];
	let table: string[][] = [];
	const flush = () => {
		if (para.length) out.push(`<p>${para.map(inline).join('<br>')}</p>`);
		para = [];
		if (list) out.push(`</${list}>`);
		list = null;
		if (table.length) {
			const [head, ...body] = table.filter((r) => !r.every((c) => /^:?-{2,}:?$/.test(c.trim())));
			out.push(
				`<table><thead><tr>${head.map((c) => `<th>${inline(c.trim())}</th>`).join('')}</tr></thead><tbody>${body
					.map((r) => `<tr>${r.map((c) => `<td>${inline(c.trim())}</td>`).join('')}</tr>`)
					.join('')}</tbody></table>`
			);
		}
		table = [];
	};
	for (const line of src.split(/\r?\n/)) {
		const h = /^(#{1,4})\s+(.*)$/.exec(line);
		const ul = /^\s*[-*]\s+(.*)$/.exec(line);
		const ol = /^\s*\d+[.)]\s+(.*)$/.exec(line);
		if (!line.trim()) flush();
		else if (h) {
			flush();
			const level = Math.min(4, h[1].length + 1);
			out.push(`<h${level}>${inline(h[2])}</h${level}>`);
		} else if (/^\s*\|.*\|\s*$/.test(line)) {
			if (para.length || list) flush();
			table.push(line.trim().slice(1, -1).split('|'));
		} else if (ul || ol) {
			const kind = ul ? 'ul' : 'ol';
			if (para.length || table.length || (list && list !== kind)) flush();
			if (!list) {
				out.push(`<${kind}>`);
				list = kind;
			}
			out.push(`<li>${inline((ul ?? ol)![1])}</li>`);
		} else {
			if (list || table.length) flush();
			para.push(line);
		}
	}
	flush();
	return out.join('\n');
}
