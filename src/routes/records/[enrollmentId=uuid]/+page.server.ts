import { fail } from '@sveltejs/kit';
import {
	issueMissingCertificate,
	recertify,
	recurringStages,
	revokeCertificate
} from '$lib/server/certificates/certificates';
import { recordDetail, recordFilterOptions } from '$lib/server/certificates/records';
import { getProgram } from '$lib/server/content';
import { RuleViolation } from '$lib/server/errors';
import { ruleMessage } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	const detail = await recordDetail(locals.user!, params.enrollmentId);
	const program = getProgram(detail.dossier.enrollment?.programSlug ?? 'onboarding');
	const recurring = recurringStages(program.slug).map((i) => ({
		title: program.stages[i].title,
		titleEn: program.stages[i].titleEn
	}));
	const { cohorts } = await recordFilterOptions(locals.user!);
	return { detail, recurring, cohorts: cohorts.filter((c) => c.id !== detail.cohortId) };
}) satisfies PageServerLoad;

async function run(action: string, fn: () => Promise<unknown>) {
	try {
		await fn();
		return { action, ok: true };
	} catch (e) {
		if (e instanceof RuleViolation) return fail(400, { action, error: ruleMessage(e) });
		throw e;
	}
}

export const actions = {
	revoke: async ({ locals, request, getClientAddress }) => {
		const form = await request.formData();
		const reason = String(form.get('reason') ?? '');
		return run('revoke', () =>
			revokeCertificate(
				locals.user!,
				String(form.get('certificateId') ?? ''),
				reason,
				getClientAddress()
			)
		);
	},
	issue: async ({ locals, params, getClientAddress }) =>
		run('issue', () =>
			issueMissingCertificate(locals.user!, params.enrollmentId, getClientAddress())
		),
	recertify: async ({ locals, request, getClientAddress }) => {
		const form = await request.formData();
		const cohortId = String(form.get('cohortId') ?? '');
		if (!/^[0-9a-f-]{36}$/i.test(cohortId))
			return fail(400, {
				action: 'recertify',
				error: ruleMessage(new RuleViolation('records_error_cohort'))
			});
		return run('recertify', () =>
			recertify(locals.user!, String(form.get('certificateId') ?? ''), cohortId, getClientAddress())
		);
	}
} satisfies Actions;
