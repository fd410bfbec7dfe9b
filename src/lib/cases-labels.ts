// Labels for case analysis shared by the library, the attempt and the grading pages.
import { m } from '$lib/paraglide/messages';

type Messages = Record<string, () => string>;
const label = (prefix: string, id: string) => ((m as unknown as Messages)[`${prefix}${id.replace(/-/g, '_')}`] ?? (() => id))();

export const CALL_TYPES = ['consultation', 'service', 'general-complaint', 'special-complaint', 'outbound-callback'] as const;
export const CATEGORIES = [
	'good-practice',
	'forbidden-expression',
	'interrupting',
	'arguing',
	'no-greeting',
	'no-verification',
	'no-surname',
	'no-restating',
	'no-empathy',
	'deflecting',
	'skipped-step',
	'no-caring-close',
	'incomplete-close',
	'hung-up-first',
	'wrong-information',
	'wrong-routing',
	'pushy-selling'
] as const;
export const TECHNIQUES = ['targeted', 'choice', 'verification', 'opinion', 'caring'] as const;

export const callTypeLabel = (id: string) => label('ct_', id);
export const qualityLabel = (id: string) => label('cq_', id);
export const categoryLabel = (id: string) => label('cat_', id);
export const techniqueLabel = (id: string) => label('tq_', id);
export const categoryColor = (id: string) => (id === 'good-practice' ? '#059669' : id === 'forbidden-expression' ? '#dc2626' : '#d97706');
