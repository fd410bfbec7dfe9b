import { error } from '@sveltejs/kit';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CONTENT_ROOT } from '$lib/server/cases/library';
import { findScenario } from '$lib/server/content/index';
import { canHearScenario } from '$lib/server/mock-calls/attempts';
import type { RequestHandler } from './$types';

// The customer's line of one beat (content/scenarios/<slug>/beats/<beat>.ogg): staff, and a
// trainee whose open mock call or shift serves this scenario.
export const GET: RequestHandler = async ({ locals, params }) => {
	const scenario = findScenario(params.slug);
	if (
		!scenario ||
		!scenario.beats.some((b) => b.id === params.beat) ||
		!(await canHearScenario(locals.user!, params.slug))
	)
		error(404, 'not found');
	const data = await readFile(
		resolve(CONTENT_ROOT, 'scenarios', params.slug, 'beats', `${params.beat}.ogg`)
	);
	return new Response(data, {
		headers: {
			'Content-Type': 'audio/ogg',
			'Content-Disposition': 'inline',
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, max-age=600',
			'Content-Length': String(data.length)
		}
	});
};
