import matter from 'gray-matter';
import type { z } from 'zod';

export class ContentError extends Error {
	constructor(
		public readonly path: string,
		public readonly line: number,
		public readonly reason: string
	) {
		super(`${path}:${line}: ${reason}`);
	}
}

export type Parsed<T> = { data: T; body: string; bodyLine: number };

/** Line (1-based) of a top-level or nested key in the frontmatter, for error messages. */
function lineOfKey(source: string, keyPath: (string | number | symbol)[]): number {
	const lines = source.split('\n');
	const keys = keyPath.filter((k): k is string => typeof k === 'string');
	let from = 0;
	let found = 1;
	for (const key of keys) {
		const re = new RegExp(`^\\s*-?\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`);
		const i = lines.findIndex((l, n) => n >= from && re.test(l));
		if (i < 0) break;
		found = i + 1;
		from = i + 1;
	}
	return found;
}

export function parseFrontmatter<S extends z.ZodType>(source: string, path: string, schema: S): Parsed<z.infer<S>> {
	if (!source.startsWith('---')) throw new ContentError(path, 1, 'missing frontmatter (the file must start with ---)');
	let parsed: matter.GrayMatterFile<string>;
	try {
		// gray-matter caches by content; a fresh options object disables that cache.
		parsed = matter(source, {});
	} catch (e) {
		const mark = (e as { mark?: { line?: number } }).mark;
		throw new ContentError(path, (mark?.line ?? 0) + 2, `frontmatter is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
	}
	const result = schema.safeParse(parsed.data);
	if (!result.success) {
		const issue = result.error.issues[0];
		// An unknown key has no path of its own: point at the key itself.
		const keyPath = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
		const where = issue.path.length ? issue.path.join('.') : '(frontmatter)';
		throw new ContentError(path, lineOfKey(source, keyPath), `${where}: ${issue.message}`);
	}
	const bodyStart = source.length - parsed.content.length;
	const bodyLine = source.slice(0, bodyStart).split('\n').length;
	return { data: result.data, body: parsed.content, bodyLine };
}
