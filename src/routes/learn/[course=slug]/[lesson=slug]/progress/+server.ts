import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { requireLesson } from '$lib/server/content/index';
import { addStudyTime, completeLesson } from '$lib/server/learning/progress';
import type { RequestHandler } from './$types';

const body = z.object({
	seconds: z.number().int().min(0).max(3600).optional(),
	complete: z.literal(true).optional()
});

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const parsed = body.safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, 'bad request');
	const { lesson } = requireLesson(params.course, params.lesson);
	if (parsed.data.seconds) await addStudyTime(locals.user!, lesson, parsed.data.seconds);
	if (parsed.data.complete) await completeLesson(locals.user!, lesson);
	return json({ ok: true });
};
