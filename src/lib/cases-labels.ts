// Labels for case analysis shared by the library, the attempt and the grading pages.
import { m } from '$lib/paraglide/messages';

type Messages = Record<string, () => string>;
const label = (prefix: string, id: string) =>
	((m as unknown as Messages)[`${prefix}${id.replace(/-/g, '_')}`] ?? (() => id))();

export {
	ANNOTATION_CATEGORIES as CATEGORIES,
	CALL_TYPES,
	QUESTIONING_TECHNIQUES as TECHNIQUES
} from '$lib/call-taxonomy';

export const callTypeLabel = (id: string) => label('ct_', id);
export const qualityLabel = (id: string) => label('cq_', id);
export const categoryLabel = (id: string) => label('cat_', id);
export const techniqueLabel = (id: string) => label('tq_', id);
export const categoryColor = (id: string) =>
	id === 'good-practice' ? '#059669' : id === 'forbidden-expression' ? '#dc2626' : '#d97706';
