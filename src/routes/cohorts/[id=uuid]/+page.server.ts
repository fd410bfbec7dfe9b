import { fail } from '@sveltejs/kit';
import { getCohort } from '$lib/server/cohorts/cohorts';
import { addTrainee } from '$lib/server/cohorts/import';
import { cohortGrid, RISK_FLAGS } from '$lib/server/cohorts/overview';
import { addCohortNote, listCohortNotes } from '$lib/server/dossier/notes';
import { NOTE_KINDS, type NoteKind } from '$lib/server/dossier/schema';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import { getProgram } from '$lib/server/content';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load = (async ({ locals, params, url }) => {
	const cohort = await getCohort(locals.user!, params.id);
	const grid = await cohortGrid(locals.user!, params.id);
	const program = getProgram(cohort.programSlug);
	// Filtered and paged here, so a cohort of thousands sends and renders one page of rows.
	const query = (url.searchParams.get('q') ?? '').trim().slice(0, 50);
	const flag = url.searchParams.get('flag') ?? '';
	const stage = url.searchParams.get('stage') ?? '';
	const matching = grid.rows.filter(
		(r) =>
			(!flag || r.flags.includes(flag as (typeof RISK_FLAGS)[number])) &&
			(!stage || program.stages[r.state.stageIndex]?.slug === stage) &&
			(!query ||
				r.displayName.includes(query) ||
				r.login.includes(query.toLowerCase()) ||
				(r.employeeNo ?? '').includes(query))
	);
	const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
	const pageNo = Math.min(
		pages,
		Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1)
	);
	return {
		cohort,
		grid: { ...grid, rows: matching.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE) },
		filter: { query, flag, stage },
		total: matching.length,
		page: pageNo,
		pages,
		flags: RISK_FLAGS,
		stages: program.stages.map((s) => ({ slug: s.slug, title: s.title, titleEn: s.titleEn })),
		notes: await listCohortNotes(locals.user!, params.id),
		noteKinds: NOTE_KINDS
	};
}) satisfies PageServerLoad;

const text = (f: FormData, k: string) => String(f.get(k) ?? '').slice(0, 4000);

export const actions = {
	addTrainee: async ({ request, locals, params, getClientAddress }) => {
		const f = await request.formData();
		const row = {
			name: text(f, 'name'),
			employeeNo: text(f, 'employeeNo'),
			phone: text(f, 'phone'),
			email: text(f, 'email'),
			login: text(f, 'login')
		};
		try {
			const done = await addTrainee(locals.user!, params.id, row, getClientAddress());
			return { added: done };
		} catch (e) {
			if (e instanceof RuleViolation)
				return fail(400, { addError: ruleMessage(e), addField: e.field ?? '', row });
			throw e;
		}
	},
	note: async ({ request, locals, params, getClientAddress }) => {
		const f = await request.formData();
		try {
			await addCohortNote(
				locals.user!,
				params.id,
				{
					kind: text(f, 'kind') as NoteKind,
					body: text(f, 'body'),
					sharedWithHr: f.get('sharedWithHr') === 'on'
				},
				getClientAddress()
			);
			return { noteSaved: true };
		} catch (e) {
			if (e instanceof RuleViolation) return fail(400, { noteError: ruleMessage(e) });
			throw e;
		}
	}
} satisfies Actions;
