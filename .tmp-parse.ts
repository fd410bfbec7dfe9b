import { readFileSync } from 'node:fs';
import { checkExamFile } from './src/lib/server/exams/question-bank';
for (const f of process.argv.slice(2)) {
  const r = checkExamFile(readFileSync(f, 'utf8'), f);
  if (!r.ok) { console.log(r.errors.map(e => e.message).join('\n')); continue; }
  const counts: Record<string, Record<string, number>> = {};
  for (const i of r.exam.items) { counts[i.module] ??= {}; counts[i.module][i.type] = (counts[i.module][i.type] ?? 0) + 1; }
  console.log(f, r.exam.items.length, r.exam.definition.totalPoints, JSON.stringify(counts, null, 1));
}
