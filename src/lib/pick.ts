import { getLocale } from '$lib/paraglide/runtime';

/** Content carries both languages (title / titleEn); pick the reader's. Kept apart from the
 *  label helpers so pages that need only this do not pull in every message. */
export function pick(zh: string, en: string | undefined | null): string {
	return getLocale() === 'en' && en ? en : zh;
}
