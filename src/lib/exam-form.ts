// The written-test form, shared by the server (plain form posts without JavaScript) and the
// browser (autosave): one place decides how each item type's inputs become an answer.
// Names: single/truefalse/short `r.<item>`, multiple `r.<item>` (several), fill `r.<item>.<n>`,
// matching `r.<item>.<leftId>` → rightId, ordering `r.<item>.<stepId>` → position (1-based).
// Bundled into the exam page's standalone script too (src/lib/exam-client): no imports but types.
import type { ServedItem } from '$lib/server/exams/draw';

export type Answer = string | boolean | string[] | Record<string, string> | null;

/** What the form code needs of an item: the names of its inputs, none of its text. */
export type FormItem =
	| { id: string; type: 'single' | 'multiple' | 'truefalse' | 'short' }
	| { id: string; type: 'fill'; blanks: number }
	| { id: string; type: 'matching'; left: { id: string }[] }
	| { id: string; type: 'ordering'; steps: { id: string }[] };

/** The served item reduced to a FormItem (for the page's script configuration). */
export function formItem(item: ServedItem): FormItem {
	const ids = (list: { id: string }[]) => list.map((x) => ({ id: x.id }));
	switch (item.type) {
		case 'fill':
			return { id: item.id, type: item.type, blanks: item.blanks };
		case 'matching':
			return { id: item.id, type: item.type, left: ids(item.left) };
		case 'ordering':
			return { id: item.id, type: item.type, steps: ids(item.steps) };
		default:
			return { id: item.id, type: item.type };
	}
}

export function answerFromForm(item: FormItem, form: FormData): Answer {
	const name = `r.${item.id}`;
	switch (item.type) {
		case 'single': {
			const v = form.get(name);
			return typeof v === 'string' && v ? v : null;
		}
		case 'multiple': {
			const v = form.getAll(name).filter((x): x is string => typeof x === 'string');
			return v.length ? v : null;
		}
		case 'truefalse': {
			const v = form.get(name);
			return v === 'true' ? true : v === 'false' ? false : null;
		}
		case 'fill': {
			const v = Array.from({ length: item.blanks }, (_, i) =>
				String(form.get(`${name}.${i}`) ?? '')
			);
			return v.some((x) => x.trim()) ? v : null;
		}
		case 'matching': {
			const pairs: Record<string, string> = {};
			for (const l of item.left) {
				const v = form.get(`${name}.${l.id}`);
				if (typeof v === 'string' && v) pairs[l.id] = v;
			}
			return Object.keys(pairs).length ? pairs : null;
		}
		case 'ordering': {
			const placed = item.steps
				.map((s) => ({ id: s.id, pos: Number(form.get(`${name}.${s.id}`)) }))
				.filter((s) => Number.isInteger(s.pos) && s.pos > 0);
			if (placed.length === 0) return null;
			return placed.sort((a, b) => a.pos - b.pos).map((s) => s.id);
		}
		case 'short': {
			const v = form.get(name);
			return typeof v === 'string' && v.trim() ? v : null;
		}
	}
}

/** Which item an input belongs to, from its name. */
export function itemIdOfInput(name: string): string | null {
	const m = /^r\.([^.]+)/.exec(name);
	return m ? m[1] : null;
}

export function sameAnswer(a: unknown, b: unknown): boolean {
	return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** An answer in words, for review pages. */
export function describeAnswer(item: ServedItem, value: unknown, yes: string, no: string): string {
	if (value === null || value === undefined) return '—';
	const text = (list: { id: string; text: string }[], id: unknown) =>
		list.find((o) => o.id === id)?.text ?? '';
	switch (item.type) {
		case 'single':
			return text(item.options, value);
		case 'multiple':
			return Array.isArray(value) ? value.map((v) => text(item.options, v)).join('；') : '—';
		case 'truefalse':
			return value === true ? yes : value === false ? no : '—';
		case 'fill':
			return Array.isArray(value)
				? value.map((v, i) => `（${i + 1}）${v}`).join('  ')
				: String(value);
		case 'matching':
			return typeof value === 'object'
				? item.left
						.map(
							(l) =>
								`${l.text} → ${text(item.right, (value as Record<string, string>)[l.id]) || '—'}`
						)
						.join('；')
				: '—';
		case 'ordering':
			return Array.isArray(value)
				? value.map((v, i) => `${i + 1}. ${text(item.steps, v)}`).join('  ')
				: '—';
		case 'short':
			return String(value);
	}
}

/** Puts an answer back into the form (answers restored from this computer after a reload). */
export function applyAnswer(form: HTMLFormElement, item: FormItem, value: Answer): void {
	const name = `r.${item.id}`;
	const inputs = (n: string) =>
		Array.from(
			form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
				`[name="${CSS.escape(n)}"]`
			)
		);
	switch (item.type) {
		case 'single':
		case 'truefalse':
			for (const el of inputs(name) as HTMLInputElement[]) el.checked = el.value === String(value);
			break;
		case 'multiple':
			for (const el of inputs(name) as HTMLInputElement[])
				el.checked = Array.isArray(value) && value.includes(el.value);
			break;
		case 'fill':
			for (let i = 0; i < item.blanks; i++)
				for (const el of inputs(`${name}.${i}`))
					el.value = Array.isArray(value) ? String(value[i] ?? '') : '';
			break;
		case 'matching':
			for (const l of item.left)
				for (const el of inputs(`${name}.${l.id}`))
					el.value = (value as Record<string, string> | null)?.[l.id] ?? '';
			break;
		case 'ordering':
			for (const s of item.steps) {
				const i = Array.isArray(value) ? value.indexOf(s.id) : -1;
				for (const el of inputs(`${name}.${s.id}`)) el.value = i < 0 ? '' : String(i + 1);
			}
			break;
		case 'short':
			for (const el of inputs(name)) el.value = typeof value === 'string' ? value : '';
			break;
	}
}
