// Merges the per-area message files (src/lib/i18n/messages/<area>.<locale>.json) into one file
// per locale and compiles them with Paraglide. Each area owns its file, so features can add
// strings without touching each other's. A key missing in one locale is an error, not a
// silent fallback. The process exits explicitly: Paraglide's compiler can keep it alive ~30 s.
import { compile } from '@inlang/paraglide-js';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const settings = JSON.parse(readFileSync(join(root, 'project.inlang/settings.json'), 'utf8'));
const locales = settings.locales;
const sourceDir = join(root, 'src/lib/i18n/messages');
const outDir = join(root, 'src/lib/i18n/.compiled');

const merged = Object.fromEntries(locales.map((l) => [l, {}]));
const origin = {};
const problems = [];
for (const file of readdirSync(sourceDir).sort()) {
	const match = /^(.+)\.([A-Za-z-]+)\.json$/.exec(file);
	if (!match || !locales.includes(match[2])) {
		problems.push(
			`${file}: name must be <area>.<locale>.json with locale in ${locales.join(', ')}`
		);
		continue;
	}
	const locale = match[2];
	let messages;
	try {
		messages = JSON.parse(readFileSync(join(sourceDir, file), 'utf8'));
	} catch (e) {
		problems.push(`${file}: ${e.message}`);
		continue;
	}
	for (const [key, value] of Object.entries(messages)) {
		if (key === '$schema') continue;
		if (!/^[a-z][a-z0-9_]*$/.test(key)) problems.push(`${file}: key "${key}" must be snake_case`);
		if (typeof value !== 'string') problems.push(`${file}: "${key}" must be a string`);
		const seen = origin[`${locale}:${key}`];
		if (seen) problems.push(`${file}: "${key}" is already defined in ${seen}`);
		origin[`${locale}:${key}`] = file;
		merged[locale][key] = value;
	}
}
const [base, ...others] = locales;
for (const other of others) {
	for (const key of Object.keys(merged[base]))
		if (!(key in merged[other])) problems.push(`"${key}" has no ${other} text`);
	for (const key of Object.keys(merged[other]))
		if (!(key in merged[base])) problems.push(`"${key}" has no ${base} text`);
}
if (problems.length) {
	console.error('i18n messages are not valid:\n  ' + problems.join('\n  '));
	process.exit(1);
}

mkdirSync(outDir, { recursive: true });
for (const locale of locales) {
	const body = { $schema: 'https://inlang.com/schema/inlang-message-format', ...merged[locale] };
	writeFileSync(join(outDir, `${locale}.json`), JSON.stringify(body, null, '\t') + '\n');
}
await compile({
	project: join(root, 'project.inlang'),
	outdir: join(root, 'src/lib/paraglide'),
	strategy: ['cookie', 'baseLocale'],
	emitGitIgnore: false
});
console.log(`i18n: ${Object.keys(merged[base]).length} messages × ${locales.length} locales`);
process.exit(0);
