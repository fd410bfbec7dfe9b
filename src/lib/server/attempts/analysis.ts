// Item analysis for examiners (classical test theory). Pure.
// - difficulty p: mean share of the item's points earned (1 = everyone right);
// - discrimination D: p in the top 27 % of papers by total minus p in the bottom 27 %;
// - option distribution for choice items; flags for items worth a second look.
import type { PaperKey } from '../exams/draw';

export type AnalysedPaper = {
	percent: number;
	items: Record<string, { points: number; max: number; correct: boolean | null }>;
	responses: Record<string, unknown>;
	key: PaperKey;
};

export type ItemFlag = 'too_hard' | 'too_easy' | 'low_discrimination' | 'negative_discrimination';

export type ItemStats = {
	id: string;
	type: string;
	module: string;
	stem: string;
	n: number;
	difficulty: number;
	discrimination: number | null;
	options: { id: string; text: string; correct: boolean; chosen: number }[];
	flags: ItemFlag[];
};

export type ExamAnalysis = {
	papers: number;
	mean: number;
	histogram: number[];
	items: ItemStats[];
};

const round = (x: number) => Math.round(x * 1000) / 1000;

export function analyseItems(papers: AnalysedPaper[]): ExamAnalysis {
	const histogram = Array.from({ length: 10 }, () => 0);
	for (const p of papers) histogram[Math.min(9, Math.floor(p.percent / 10))]++;
	const sorted = [...papers].sort((a, b) => b.percent - a.percent);
	const k = Math.max(1, Math.round(papers.length * 0.27));
	const upper = new Set(sorted.slice(0, k));
	const lower = new Set(sorted.slice(-k));

	const byItem = new Map<string, { papers: AnalysedPaper[] }>();
	for (const p of papers)
		for (const id of Object.keys(p.key.items))
			byItem.set(id, { papers: [...(byItem.get(id)?.papers ?? []), p] });

	const items: ItemStats[] = [];
	for (const [id, { papers: ps }] of byItem) {
		const entry = ps[0].key.items[id];
		const share = (p: AnalysedPaper) => {
			const s = p.items[id];
			return s && s.max > 0 ? s.points / s.max : 0;
		};
		const mean = (list: AnalysedPaper[]) =>
			list.length ? list.reduce((n, p) => n + share(p), 0) / list.length : 0;
		const difficulty = mean(ps);
		const up = ps.filter((p) => upper.has(p));
		const low = ps.filter((p) => lower.has(p));
		// With fewer than 10 papers the upper and lower groups are too small to mean anything.
		const discrimination =
			papers.length >= 10 && up.length && low.length ? mean(up) - mean(low) : null;
		const item = entry.item;
		const options =
			item.type === 'single' || item.type === 'multiple'
				? item.options.map((o) => ({
						id: o.id,
						text: o.text,
						correct: item.type === 'single' ? item.correct === o.id : item.correct.includes(o.id),
						chosen: ps.filter((p) => {
							const r = p.responses[id];
							return r === o.id || (Array.isArray(r) && r.includes(o.id));
						}).length
					}))
				: [];
		const flags: ItemFlag[] = [];
		if (difficulty < 0.2) flags.push('too_hard');
		if (difficulty > 0.95) flags.push('too_easy');
		if (discrimination !== null && discrimination < 0) flags.push('negative_discrimination');
		else if (discrimination !== null && discrimination < 0.2) flags.push('low_discrimination');
		items.push({
			id,
			type: item.type,
			module: item.module,
			stem: item.stem,
			n: ps.length,
			difficulty: round(difficulty),
			discrimination: discrimination === null ? null : round(discrimination),
			options,
			flags
		});
	}
	items.sort((a, b) => a.difficulty - b.difficulty);
	return {
		papers: papers.length,
		mean: papers.length ? round(papers.reduce((n, p) => n + p.percent, 0) / papers.length) : 0,
		histogram,
		items
	};
}
