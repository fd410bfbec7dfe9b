// Summarises a V8 .cpuprofile (from BENCH_CPU_PROF=1): self time per function and per package
// or app file, and inclusive time of selected functions.
//   node tests/bench/profile-summary.mjs <file.cpuprofile> [top=30] [functionName …]
import { readFileSync } from 'node:fs';

const [file, topArg, ...focus] = process.argv.slice(2);
if (!file) {
	console.error('usage: profile-summary.mjs <file.cpuprofile> [top] [functionName …]');
	process.exit(2);
}
const top = Number(topArg ?? 30);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++)
	self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0) / 1000);
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (cf) => {
	const url = cf.url || '(native)';
	const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
	if (m) return m[1];
	const b = /\/(build|\.app-build)\/(.*)$/.exec(url);
	return b ? b[2] : url.replace(/^file:\/\//, '');
};
const agg = (keyOf) => {
	const m = new Map();
	for (const [id, ms] of self) {
		const k = keyOf(byId.get(id).callFrame);
		m.set(k, (m.get(k) ?? 0) + ms);
	}
	return [...m.entries()].sort((a, b) => b[1] - a[1]);
};
const pct = (ms) =>
	`${((ms / total) * 100).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms`;
console.log(`${file}\ntotal sampled ${total.toFixed(0)} ms\n\nself time by function:`);
for (const [k, ms] of agg(
	(cf) => `${cf.functionName || '(anonymous)'}  ${where(cf)}:${cf.lineNumber + 1}`
).slice(0, top))
	console.log(`${pct(ms)}  ${k}`);
console.log('\nself time by package / file:');
for (const [k, ms] of agg((cf) => where(cf)).slice(0, top)) console.log(`${pct(ms)}  ${k}`);

// Inclusive time: a sample counts for a function when it appears anywhere on the stack.
const names = focus.length ? focus : [];
if (names.length) {
	console.log('\ninclusive time:');
	for (const name of names) {
		let ms = 0;
		for (const [id, t] of self) {
			for (let n = id; n !== undefined; n = parent.get(n)) {
				if (byId.get(n).callFrame.functionName === name) {
					ms += t;
					break;
				}
			}
		}
		console.log(`${pct(ms)}  ${name}`);
	}
}
