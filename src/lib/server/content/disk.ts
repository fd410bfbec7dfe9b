// Reads `content/` from disk into the path → source map that buildCatalog takes (used by the
// build check, `npm run content:check`, the tests and scripts run by tsx, where Vite's
// import.meta.glob is not available): the Markdown files and the cases' transcripts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const CONTENT_EXTENSIONS = ['.md', '.vtt'];

export function readContentDir(root: string): Record<string, string> {
	const files: Record<string, string> = {};
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (CONTENT_EXTENSIONS.some((ext) => name.endsWith(ext)) && name !== 'README.md')
				files['/content/' + relative(root, path).split(sep).join('/')] = readFileSync(path, 'utf8');
		}
	};
	walk(root);
	return files;
}
