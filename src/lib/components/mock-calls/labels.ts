// Labels for mock-call vocabulary (call types, customer moods, expected actions, difficulty),
// shared by the trainee's call, the agent desktop, the live console and the grading page. An id
// without a message falls back to itself, so a new content value shows up rather than vanishing.
import { m } from '$lib/paraglide/messages';

type Messages = Record<string, (params?: Record<string, unknown>) => string>;
const label = (prefix: string, id: string) =>
	((m as unknown as Messages)[`${prefix}${id.replace(/-/g, '_')}`] ?? (() => id))();

export { CALL_TYPES } from '$lib/call-taxonomy';

export const callTypeLabel = (id: string) => label('call_', id);
export const moodLabel = (id: string) => label('mood_', id);
export const actionLabel = (id: string) => label('ea_', id);
export const genderLabel = (id: string) => label('gender_', id);
export const difficultyLabel = (n: number) => label('mc_difficulty_', String(n));

/** 0:00-style clock for seconds into a call (hours only when needed). */
export function clock(seconds: number | null): string {
	if (seconds === null) return '—';
	const s = Math.max(0, Math.floor(seconds));
	const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
	const ss = String(s % 60).padStart(2, '0');
	return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}
