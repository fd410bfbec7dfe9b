// Agreement between graders: pure. Levels 5 / 3 / 1 are ordinal categories 2 / 1 / 0.
// - exact agreement: share of item pairs with the same level;
// - adjacent agreement: share within one level (5↔3, 3↔1);
// - weighted kappa (Cohen, quadratic weights by default): agreement beyond chance, 1 = perfect,
//   0 = chance, negative = worse than chance; null when undefined (e.g. both graders gave one
//   level throughout, so chance agreement is already perfect);
// - bias: mean of (grader − reference) in levels; > 0 lenient, < 0 severe.
export type Pair = { grader: number; reference: number };

const ORDINAL: Record<number, number> = { 1: 0, 3: 1, 5: 2 };
const K = 3;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function weightedKappa(
	pairs: { a: number; b: number }[],
	weighting: 'quadratic' | 'linear' = 'quadratic',
	k = K
): number | null {
	const n = pairs.length;
	if (n === 0) return null;
	const observed = Array.from({ length: k }, () => Array<number>(k).fill(0));
	const rowTotals = Array<number>(k).fill(0);
	const colTotals = Array<number>(k).fill(0);
	for (const { a, b } of pairs) {
		observed[a][b] += 1;
		rowTotals[a] += 1;
		colTotals[b] += 1;
	}
	const w = (i: number, j: number) =>
		weighting === 'quadratic' ? ((i - j) / (k - 1)) ** 2 : Math.abs(i - j) / (k - 1);
	let disagreeObserved = 0;
	let disagreeExpected = 0;
	for (let i = 0; i < k; i++)
		for (let j = 0; j < k; j++) {
			disagreeObserved += w(i, j) * observed[i][j];
			disagreeExpected += (w(i, j) * rowTotals[i] * colTotals[j]) / n;
		}
	if (disagreeExpected === 0) return disagreeObserved === 0 ? null : 0;
	return round3(1 - disagreeObserved / disagreeExpected);
}

export type Calibration = {
	items: number;
	exact: number | null;
	adjacent: number | null;
	kappa: number | null;
	bias: number | null;
};

/** `pairs` holds 5/3/1 levels: the grader's and the reference's (other marker or moderator). */
export function calibrate(pairs: Pair[]): Calibration {
	const ord = pairs
		.filter((p) => p.grader in ORDINAL && p.reference in ORDINAL)
		.map((p) => ({ a: ORDINAL[p.grader], b: ORDINAL[p.reference] }));
	if (ord.length === 0) return { items: 0, exact: null, adjacent: null, kappa: null, bias: null };
	const exact = ord.filter((p) => p.a === p.b).length / ord.length;
	const adjacent = ord.filter((p) => Math.abs(p.a - p.b) <= 1).length / ord.length;
	const bias = ord.reduce((s, p) => s + (p.a - p.b), 0) / ord.length;
	return {
		items: ord.length,
		exact: round3(exact),
		adjacent: round3(adjacent),
		kappa: weightedKappa(ord),
		bias: round3(bias)
	};
}
