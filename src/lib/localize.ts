import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Skill } from '$lib/skills';

/** Content carries both languages (title / titleEn); pick the reader's. */
export function pick(zh: string, en: string | undefined | null): string {
	return getLocale() === 'en' && en ? en : zh;
}

type Messages = Record<string, () => string>;

export function skillLabel(skill: Skill | string): string {
	const fn = (m as unknown as Messages)[`skill_${skill.replace(/-/g, '_')}`];
	return fn ? fn() : skill;
}
