import { fail } from '@sveltejs/kit';
import { requireCohort } from '$lib/server/cohorts/access';
import {
	commitImport,
	IMPORT_MAX_BYTES,
	previewImport,
	type TraineeRow
} from '$lib/server/cohorts/import';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	const { cohort } = await requireCohort(locals.user!, params.id, ['manager', 'teacher']);
	return { cohort: { id: cohort.id, name: cohort.name } };
}) satisfies PageServerLoad;

type Messages = Record<string, (p?: Record<string, string | number>) => string>;
const say = (code: string, params?: Record<string, string | number>) =>
	((m as unknown as Messages)[code] ?? (() => code))(params);

export const actions = {
	preview: async ({ request, locals, params }) => {
		const f = await request.formData();
		const file = f.get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { fileError: m.cohorts_import_choose_file() });
		if (file.size > IMPORT_MAX_BYTES)
			return fail(400, { fileError: m.cohorts_import_too_big({ max: 2 }) });
		try {
			const preview = await previewImport(
				locals.user!,
				params.id,
				new Uint8Array(await file.arrayBuffer())
			);
			return {
				fileName: file.name,
				preview: {
					...preview,
					rows: preview.rows.map((r) => ({
						...r,
						messages: r.errors.map((e) => ({ field: e.field, text: say(e.code, e.params) }))
					}))
				}
			};
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { fileError: ruleMessage(e) });
			throw e;
		}
	},
	commit: async ({ request, locals, params, getClientAddress }) => {
		const f = await request.formData();
		let rows: (TraineeRow & { line: number })[];
		try {
			const parsed = JSON.parse(String(f.get('rows') ?? '[]')) as unknown[];
			rows = parsed.map((r) => {
				const o = r as Record<string, unknown>;
				const s = (k: string) => String(o[k] ?? '').slice(0, 200);
				return {
					line: Number(o.line) || 0,
					name: s('name'),
					employeeNo: s('employeeNo'),
					phone: s('phone'),
					email: s('email'),
					login: s('login')
				};
			});
		} catch {
			return fail(400, { fileError: m.cohorts_import_unreadable() });
		}
		try {
			const imported = await commitImport(locals.user!, params.id, rows, getClientAddress());
			return { imported };
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { fileError: ruleMessage(e) });
			throw e;
		}
	}
} satisfies Actions;
