// The attempt's life as a pure function: in_progress → submitted → graded → released.
// Everything that changes an attempt's state asks this first, so an illegal move cannot happen
// from any route.
export type AttemptState = 'in_progress' | 'submitted' | 'graded' | 'released';
export type AttemptEvent = { type: 'submit' } | { type: 'grading_complete' } | { type: 'release' };

export type Transition = { ok: true; state: AttemptState } | { ok: false; reason: string };

export function nextAttemptState(state: AttemptState, event: AttemptEvent): Transition {
	switch (event.type) {
		case 'submit':
			return state === 'in_progress'
				? { ok: true, state: 'submitted' }
				: { ok: false, reason: 'already submitted' };
		case 'grading_complete':
			return state === 'submitted'
				? { ok: true, state: 'graded' }
				: { ok: false, reason: `cannot finish grading when ${state}` };
		case 'release':
			return state === 'graded'
				? { ok: true, state: 'released' }
				: { ok: false, reason: `cannot release when ${state}` };
	}
}

/** Saves are accepted up to this long after the deadline: requests sent in time may still be in
 *  flight on a slow network when the clock runs out. */
export const GRACE_MS = 20_000;

export function acceptsAnswers(state: AttemptState, deadlineAt: Date, now: Date): boolean {
	return state === 'in_progress' && now.getTime() <= deadlineAt.getTime() + GRACE_MS;
}

/** Deadline from the server's clock: start + time limit, capped by the end of the cohort's
 *  window when there is one. The client's clock is never asked. */
export function computeDeadline(
	startedAt: Date,
	limitMinutes: number,
	windowEndsAt: Date | null
): Date {
	const byLimit = startedAt.getTime() + limitMinutes * 60_000;
	return new Date(windowEndsAt ? Math.min(byLimit, windowEndsAt.getTime()) : byLimit);
}
