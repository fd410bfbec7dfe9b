// Matching a trainee's time marks with the reference annotations of a case: pure.
// A mark matches a reference annotation when the categories are equal and the mark's time lies
// within the annotated span widened by the tolerance on both sides. Each reference matches at
// most one mark and each mark at most one reference (greedy by distance, which is optimal here
// because spans of one category rarely overlap; ties go to the earlier reference).
export type Mark = { at: number; category: string; line?: number | null; note?: string };
export type Reference = {
	start: number;
	end: number;
	category: string;
	line: number;
	note?: string;
};

export type MatchResult = {
	matched: { mark: number; reference: number }[];
	/** Marks with no reference (false positives) and references nobody marked (misses). */
	extraMarks: number[];
	missedReferences: number[];
	precision: number | null;
	recall: number | null;
	f1: number;
};

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function distance(mark: Mark, ref: Reference): number {
	if (mark.at < ref.start) return ref.start - mark.at;
	if (mark.at > ref.end) return mark.at - ref.end;
	return 0;
}

export function matchAnnotations(
	marks: Mark[],
	refs: Reference[],
	toleranceSeconds: number
): MatchResult {
	const candidates: { mark: number; reference: number; d: number }[] = [];
	marks.forEach((m, i) =>
		refs.forEach((r, j) => {
			if (m.category !== r.category) return;
			const d = distance(m, r);
			if (d <= toleranceSeconds) candidates.push({ mark: i, reference: j, d });
		})
	);
	candidates.sort((a, b) => a.d - b.d || a.reference - b.reference || a.mark - b.mark);
	const usedMarks = new Set<number>();
	const usedRefs = new Set<number>();
	const matched: { mark: number; reference: number }[] = [];
	for (const c of candidates) {
		if (usedMarks.has(c.mark) || usedRefs.has(c.reference)) continue;
		usedMarks.add(c.mark);
		usedRefs.add(c.reference);
		matched.push({ mark: c.mark, reference: c.reference });
	}
	const precision = marks.length ? round3(matched.length / marks.length) : null;
	const recall = refs.length ? round3(matched.length / refs.length) : null;
	const p = precision ?? 0;
	const r = recall ?? (marks.length ? 0 : 1);
	const f1 = p + r > 0 ? round3((2 * p * r) / (p + r)) : 0;
	return {
		matched: matched.sort((a, b) => a.reference - b.reference),
		extraMarks: marks.map((_, i) => i).filter((i) => !usedMarks.has(i)),
		missedReferences: refs.map((_, j) => j).filter((j) => !usedRefs.has(j)),
		precision,
		recall,
		f1
	};
}
