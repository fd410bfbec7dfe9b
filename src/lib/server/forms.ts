// Small bridges between zod/superforms and the domain's RuleViolation, so every route shows
// rule errors in the user's language next to the right field.
import { fail } from '@sveltejs/kit';
import { setError, type SuperValidated } from 'sveltekit-superforms';
import { m } from '$lib/paraglide/messages';
import { RuleViolation } from './errors';

type Messages = Record<string, (params?: Record<string, string | number>) => string>;

export function ruleMessage(v: RuleViolation): string {
	const fn = (m as unknown as Messages)[v.code];
	return fn ? fn(v.params) : v.code;
}

/** Turns a RuleViolation into a 400 with the message on its field; rethrows anything else. */
export function failWithRule<T extends Record<string, unknown>>(
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- superforms' message type varies per form
	form: SuperValidated<T, any>,
	e: unknown
) {
	if (!(e instanceof RuleViolation)) throw e;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return setError(form, (e.field ?? '') as any, ruleMessage(e));
}

export { fail };
