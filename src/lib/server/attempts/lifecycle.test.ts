import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	acceptsAnswers,
	computeDeadline,
	GRACE_MS,
	nextAttemptState,
	type AttemptEvent,
	type AttemptState
} from './lifecycle';

const STATES: AttemptState[] = ['in_progress', 'submitted', 'graded', 'released'];
const EVENTS: AttemptEvent[] = [
	{ type: 'submit' },
	{ type: 'grading_complete' },
	{ type: 'release' }
];

describe('attempt lifecycle', () => {
	it('allows exactly the forward moves', () => {
		const allowed = new Set(['in_progress:submit', 'submitted:grading_complete', 'graded:release']);
		for (const s of STATES)
			for (const e of EVENTS) {
				const t = nextAttemptState(s, e);
				expect(t.ok, `${s} + ${e.type}`).toBe(allowed.has(`${s}:${e.type}`));
			}
	});

	it('never goes backwards under any sequence of events', () => {
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...EVENTS), { maxLength: 30 }), (events) => {
				let state: AttemptState = 'in_progress';
				for (const e of events) {
					const t = nextAttemptState(state, e);
					if (t.ok) {
						expect(STATES.indexOf(t.state)).toBe(STATES.indexOf(state) + 1);
						state = t.state;
					}
				}
			})
		);
	});

	it('accepts answers until the deadline plus grace, only while in progress', () => {
		const deadline = new Date('2026-01-01T10:00:00Z');
		expect(acceptsAnswers('in_progress', deadline, new Date(deadline.getTime() + GRACE_MS))).toBe(
			true
		);
		expect(
			acceptsAnswers('in_progress', deadline, new Date(deadline.getTime() + GRACE_MS + 1))
		).toBe(false);
		expect(acceptsAnswers('submitted', deadline, new Date(deadline.getTime() - 60_000))).toBe(
			false
		);
	});

	it('caps the deadline by the cohort window', () => {
		const start = new Date('2026-01-01T10:00:00Z');
		expect(computeDeadline(start, 60, null).toISOString()).toBe('2026-01-01T11:00:00.000Z');
		expect(computeDeadline(start, 60, new Date('2026-01-01T10:30:00Z')).toISOString()).toBe(
			'2026-01-01T10:30:00.000Z'
		);
	});
});
