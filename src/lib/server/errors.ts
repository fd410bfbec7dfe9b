import { error } from '@sveltejs/kit';
import { hasRole, type Actor, type Role } from './people/roles';

/** A business rule said no. `code` names an i18n message (the route shows it in the
 *  user's language); `field` ties it to a form field when there is one. */
export class RuleViolation extends Error {
	constructor(
		public readonly code: string,
		public readonly field?: string,
		public readonly params: Record<string, string | number> = {}
	) {
		super(code);
	}
}

/** Every domain function that acts for a person checks the role itself, so an action that
 *  forgot its check still cannot do more than the domain allows. */
export function assertRole(
	actor: Actor | null | undefined,
	...roles: Role[]
): asserts actor is Actor {
	if (!actor) error(401, 'sign-in required');
	if (!hasRole(actor, ...roles)) error(403, 'forbidden');
}
