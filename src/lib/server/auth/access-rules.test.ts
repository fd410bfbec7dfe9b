import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../people/roles';
import { accessFor, decideAccess, ROUTE_ACCESS, SESSION_CHECKED_BY_HANDLER } from './access-rules';

const ROUTES = join(process.cwd(), 'src/routes');
const ENTRY = /^\+(page|server)(\.server)?\.(svelte|ts|js)$/;

function routeIds(dir: string): Set<string> {
	const ids = new Set<string>();
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) for (const id of routeIds(path)) ids.add(id);
		else if (ENTRY.test(entry.name))
			ids.add('/' + relative(ROUTES, dir).split(sep).join('/').replace(/^\/?/, ''));
	}
	return ids;
}

describe('route access table', () => {
	const found = [...routeIds(ROUTES)].map((id) => (id === '/' ? '/' : id.replace(/\/$/, '')));

	it('names every route under src/routes (deny by default means a forgotten route is unusable)', () => {
		const missing = found.filter((id) => accessFor(id) === null);
		expect(missing, `add these routes to ROUTE_ACCESS: ${missing.join(', ')}`).toEqual([]);
	});

	it('names no route that does not exist', () => {
		const stale = Object.keys(ROUTE_ACCESS).filter((id) => !found.includes(id));
		expect(stale).toEqual([]);
	});

	it('decides every combination of rule and roles', () => {
		expect(decideAccess(null, ['admin'])).toBe('deny');
		expect(decideAccess(null, null)).toBe('deny');
		expect(decideAccess('public', null)).toBe('allow');
		expect(decideAccess('signed-in', null)).toBe('sign-in');
		expect(decideAccess('signed-in', [])).toBe('allow');
		for (const allowed of ROLES)
			for (const held of ROLES) {
				expect(decideAccess([allowed], null)).toBe('sign-in');
				expect(decideAccess([allowed], [held])).toBe(allowed === held ? 'allow' : 'deny');
			}
		expect(decideAccess(['hr', 'admin'], ['trainee', 'admin'])).toBe('allow');
		expect(decideAccess(['hr'], [])).toBe('deny');
	});

	it('lets the hooks skip only routes whose handler runs their checks itself', () => {
		for (const id of SESSION_CHECKED_BY_HANDLER) {
			expect(accessFor(id), id).not.toBeNull();
			// Skipped by the hooks, the handler must fall back to the same two checks.
			const source = readFileSync(join(ROUTES, id, '+server.ts'), 'utf8');
			expect(source, id).toMatch(/await authenticate\(event\)/);
			expect(source, id).toMatch(/await refuseAccess\(event\)/);
		}
	});

	it('keeps staff pages away from trainees', () => {
		for (const [id, rule] of Object.entries(ROUTE_ACCESS)) {
			if (id.startsWith('/admin')) expect(rule, id).toEqual(['admin']);
		}
	});
});
