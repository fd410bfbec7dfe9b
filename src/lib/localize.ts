import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Skill } from '$lib/skills';

export { pick } from '$lib/pick';

type Messages = Record<string, () => string>;

export function skillLabel(skill: Skill | string): string {
	const fn = (m as unknown as Messages)[`skill_${skill.replace(/-/g, '_')}`];
	return fn ? fn() : skill;
}

/** Hour and minute in the reader's language ("10:42"), e.g. for "saved at". */
export function timeOfDay(date: Date): string {
	return date.toLocaleTimeString(getLocale(), {
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	});
}
