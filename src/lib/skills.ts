/** Skill ids: the 16 pre-training interview items, then the curriculum skills. Course and
 *  lesson frontmatter name them; the dossier maps weak interview items to the courses that
 *  train them. Labels are i18n messages `skill_<id with underscores>`. */
export const PROFILE_SKILLS = [
	'self-intro',
	'polite-phrases',
	'speaking-rate',
	'intonation',
	'volume',
	'verbal-tics',
	'patience',
	'mandarin',
	'timely-response',
	'questioning',
	'restating',
	'answer-accuracy',
	'plain-language',
	'clear-reasoning',
	'empathy',
	'no-deflecting'
] as const;

export const CURRICULUM_SKILLS = [
	'service-mindset',
	'product-knowledge',
	'call-handling',
	'etiquette',
	'listening',
	'complaint-handling',
	'outbound',
	'customer-retention',
	'emotion-management',
	'typing'
] as const;

export const SKILLS = [...PROFILE_SKILLS, ...CURRICULUM_SKILLS] as const;
export type Skill = (typeof SKILLS)[number];
