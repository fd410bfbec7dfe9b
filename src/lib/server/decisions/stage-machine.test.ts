import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	decide,
	INITIAL_STATE,
	isFinal,
	isValidState,
	run,
	STAGE_STATUSES,
	transition,
	type EnrollmentState,
	type StageEvent
} from './stage-machine';

const program = { maxRetrains: [2, 2, 1] };
const EVENTS: StageEvent[] = [
	'start',
	'close_stage',
	'pass',
	'retrain',
	'eliminate',
	'resume',
	'advance'
].map((type) => ({ type }) as StageEvent);

// The full transition table for a stage that is not the last, with retrains left.
const EXPECTED: Record<string, Partial<Record<StageEvent['type'], string>>> = {
	not_started: { start: 'in_training' },
	in_training: { close_stage: 'awaiting_decision' },
	awaiting_decision: { pass: 'passed', retrain: 'retrain', eliminate: 'eliminated' },
	passed: { advance: 'in_training' },
	retrain: { resume: 'in_training' },
	eliminated: {}
};

describe('stage machine: every (state, event) pair', () => {
	for (const status of STAGE_STATUSES)
		for (const e of EVENTS) {
			it(`${status} + ${e.type}`, () => {
				const s: EnrollmentState = {
					stageIndex: 0,
					status,
					retrains: 0,
					readyForCertification: false
				};
				const t = transition(program, s, e);
				const want = EXPECTED[status][e.type];
				if (status === 'eliminated') expect(t).toEqual({ ok: false, error: 'finished' });
				else if (want) {
					expect(t.ok).toBe(true);
					if (t.ok) expect(t.state.status).toBe(want);
				} else expect(t).toEqual({ ok: false, error: 'invalid_transition' });
			});
		}

	it('retrain raises the count and is refused past the stage limit', () => {
		let s: EnrollmentState = {
			stageIndex: 0,
			status: 'awaiting_decision',
			retrains: 0,
			readyForCertification: false
		};
		for (let i = 1; i <= 2; i++) {
			const t = decide(program, s, 'retrain');
			expect(t.ok).toBe(true);
			if (!t.ok) return;
			expect(t.state).toEqual({
				stageIndex: 0,
				status: 'in_training',
				retrains: i,
				readyForCertification: false
			});
			s = { ...t.state, status: 'awaiting_decision' };
		}
		expect(decide(program, s, 'retrain')).toEqual({ ok: false, error: 'retrain_limit' });
		// Past the limit: pass and eliminate are still possible.
		expect(decide(program, s, 'pass').ok).toBe(true);
		expect(decide(program, s, 'eliminate').ok).toBe(true);
	});

	it('passing moves to the next stage with a fresh retrain count; the last pass is ready for certification', () => {
		const s: EnrollmentState = {
			stageIndex: 1,
			status: 'awaiting_decision',
			retrains: 2,
			readyForCertification: false
		};
		const next = decide(program, s, 'pass');
		expect(next).toEqual({
			ok: true,
			state: { stageIndex: 2, status: 'in_training', retrains: 0, readyForCertification: false }
		});
		const last = decide(
			program,
			{ stageIndex: 2, status: 'in_training', retrains: 0, readyForCertification: false },
			'pass'
		);
		expect(last).toEqual({
			ok: true,
			state: { stageIndex: 2, status: 'passed', retrains: 0, readyForCertification: true }
		});
		if (last.ok) {
			expect(isFinal(last.state)).toBe(true);
			for (const e of EVENTS)
				expect(transition(program, last.state, e)).toEqual({ ok: false, error: 'finished' });
		}
	});

	it('advance is refused on the last stage; a decision before training starts is refused', () => {
		expect(
			transition(
				program,
				{ stageIndex: 2, status: 'passed', retrains: 0, readyForCertification: false },
				{ type: 'advance' }
			).ok
		).toBe(false);
		expect(decide(program, INITIAL_STATE, 'pass')).toEqual({
			ok: false,
			error: 'invalid_transition'
		});
	});
});

const programArb = fc
	.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 })
	.map((maxRetrains) => ({ maxRetrains }));
const eventArb = fc.constantFrom(...EVENTS);
const outcomeArb = fc.constantFrom('pass', 'retrain', 'eliminate' as const);

describe('stage machine: properties', () => {
	it('no sequence of events reaches an invalid state', () => {
		fc.assert(
			fc.property(programArb, fc.array(eventArb, { maxLength: 60 }), (p, events) => {
				let s = INITIAL_STATE;
				for (const e of events) {
					const t = transition(p, s, e);
					if (t.ok) s = t.state;
					expect(isValidState(p, s)).toBe(true);
				}
			}),
			{ numRuns: 2000 }
		);
	});

	it('retrains never exceed the stage limit, and refusals leave the state unchanged', () => {
		fc.assert(
			fc.property(programArb, fc.array(outcomeArb, { maxLength: 40 }), (p, outcomes) => {
				const s = run(p, INITIAL_STATE, [{ type: 'start' }]);
				if (!s.ok) throw new Error('start failed');
				let state = s.state;
				const retrainsPerStage = new Map<number, number>();
				for (const o of outcomes) {
					const t = decide(p, state, o);
					if (!t.ok) {
						expect(['retrain_limit', 'finished']).toContain(t.error);
						continue;
					}
					if (o === 'retrain')
						retrainsPerStage.set(
							state.stageIndex,
							(retrainsPerStage.get(state.stageIndex) ?? 0) + 1
						);
					state = t.state;
					for (const [stage, n] of retrainsPerStage)
						expect(n).toBeLessThanOrEqual(p.maxRetrains[stage]);
					expect(isValidState(p, state)).toBe(true);
				}
			}),
			{ numRuns: 2000 }
		);
	});

	it('enough passes always end ready for certification', () => {
		fc.assert(
			fc.property(programArb, (p) => {
				const t = run(p, INITIAL_STATE, [{ type: 'start' }]);
				if (!t.ok) return false;
				let state = t.state;
				for (let i = 0; i < p.maxRetrains.length; i++) {
					const d = decide(p, state, 'pass');
					if (!d.ok) return false;
					state = d.state;
				}
				return state.readyForCertification && isFinal(state);
			})
		);
	});
});
