// Reads `content/` from disk into the path → source map that buildCatalog takes (used by the
// build check and `npm run content:check`, where Vite's import.meta.glob is not available).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export function readContentDir(root: string, ext = '.md'): Record<string, string> {
	const files: Record<string, string> = {};
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (name.endsWith(ext) && name !== 'README.md')
				files['/content/' + relative(root, path).split(sep).join('/')] = readFileSync(path, 'utf8');
		}
	};
	walk(root);
	return files;
}
