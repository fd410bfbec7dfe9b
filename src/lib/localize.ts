import { m } from '$lib/paraglide/messages';
import type { Skill } from '$lib/skills';

export { pick } from '$lib/pick';

type Messages = Record<string, () => string>;

export function skillLabel(skill: Skill | string): string {
	const fn = (m as unknown as Messages)[`skill_${skill.replace(/-/g, '_')}`];
	return fn ? fn() : skill;
}
