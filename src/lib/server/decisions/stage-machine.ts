// The enrollment's stage flow as a pure function: (state, event) → state | error.
// A stage goes not_started → in_training → awaiting_decision → passed | retrain | eliminated.
// `retrain` goes back to in_training (resume) with the stage's retrain count raised; `passed`
// moves on to the next stage (advance), and passing the last stage marks the enrollment
// ready for certification. `eliminated` and a passed last stage are final.

export const STAGE_STATUSES = [
	'not_started',
	'in_training',
	'awaiting_decision',
	'passed',
	'retrain',
	'eliminated'
] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

export type EnrollmentState = {
	/** Index into the program's stages. */
	stageIndex: number;
	status: StageStatus;
	/** Retrains already given in the current stage. */
	retrains: number;
	readyForCertification: boolean;
};

/** What the machine needs to know about the program: its stages' retrain limits, in order. */
export type ProgramShape = { maxRetrains: readonly number[] };

export type StageEvent =
	| { type: 'start' }
	| { type: 'close_stage' }
	| { type: 'pass' }
	| { type: 'retrain' }
	| { type: 'eliminate' }
	| { type: 'resume' }
	| { type: 'advance' };

export type MachineError = 'invalid_transition' | 'retrain_limit' | 'finished';

export type Transition = { ok: true; state: EnrollmentState } | { ok: false; error: MachineError };

export const INITIAL_STATE: EnrollmentState = {
	stageIndex: 0,
	status: 'not_started',
	retrains: 0,
	readyForCertification: false
};

export function isFinal(s: EnrollmentState): boolean {
	return s.status === 'eliminated' || s.readyForCertification;
}

const ok = (state: EnrollmentState): Transition => ({ ok: true, state });
const no = (error: MachineError): Transition => ({ ok: false, error });

export function transition(program: ProgramShape, s: EnrollmentState, e: StageEvent): Transition {
	if (isFinal(s)) return no('finished');
	const last = s.stageIndex === program.maxRetrains.length - 1;
	switch (e.type) {
		case 'start':
			return s.status === 'not_started'
				? ok({ ...s, status: 'in_training' })
				: no('invalid_transition');
		case 'close_stage':
			return s.status === 'in_training'
				? ok({ ...s, status: 'awaiting_decision' })
				: no('invalid_transition');
		case 'pass':
			if (s.status !== 'awaiting_decision') return no('invalid_transition');
			return ok({ ...s, status: 'passed', readyForCertification: last });
		case 'retrain':
			if (s.status !== 'awaiting_decision') return no('invalid_transition');
			if (s.retrains >= program.maxRetrains[s.stageIndex]) return no('retrain_limit');
			return ok({ ...s, status: 'retrain', retrains: s.retrains + 1 });
		case 'eliminate':
			return s.status === 'awaiting_decision'
				? ok({ ...s, status: 'eliminated' })
				: no('invalid_transition');
		case 'resume':
			return s.status === 'retrain'
				? ok({ ...s, status: 'in_training' })
				: no('invalid_transition');
		case 'advance':
			if (s.status !== 'passed' || last) return no('invalid_transition');
			return ok({
				stageIndex: s.stageIndex + 1,
				status: 'in_training',
				retrains: 0,
				readyForCertification: false
			});
	}
}

/** Applies events in order; stops at the first error. */
export function run(program: ProgramShape, s: EnrollmentState, events: StageEvent[]): Transition {
	let t: Transition = ok(s);
	for (const e of events) {
		if (!t.ok) return t;
		t = transition(program, t.state, e);
	}
	return t;
}

export type DecisionOutcome = 'pass' | 'retrain' | 'eliminate';

/** A stage decision as the teacher makes it: closes the stage if it is still in training,
 *  applies the outcome, then moves on (next stage, or back to training after a retrain). */
export function decide(
	program: ProgramShape,
	s: EnrollmentState,
	outcome: DecisionOutcome
): Transition {
	const events: StageEvent[] = s.status === 'in_training' ? [{ type: 'close_stage' }] : [];
	events.push({ type: outcome });
	const t = run(program, s, events);
	if (!t.ok) return t;
	if (t.state.status === 'retrain') return transition(program, t.state, { type: 'resume' });
	if (t.state.status === 'passed' && !t.state.readyForCertification)
		return transition(program, t.state, { type: 'advance' });
	return t;
}

/** Structural invariants every reachable state keeps. */
export function isValidState(program: ProgramShape, s: EnrollmentState): boolean {
	const stages = program.maxRetrains.length;
	if (!Number.isInteger(s.stageIndex) || s.stageIndex < 0 || s.stageIndex >= stages) return false;
	if (!STAGE_STATUSES.includes(s.status)) return false;
	if (
		!Number.isInteger(s.retrains) ||
		s.retrains < 0 ||
		s.retrains > program.maxRetrains[s.stageIndex]
	)
		return false;
	if (s.readyForCertification && !(s.status === 'passed' && s.stageIndex === stages - 1))
		return false;
	if (s.status === 'passed' && s.stageIndex === stages - 1 && !s.readyForCertification)
		return false;
	if (s.status === 'not_started' && (s.stageIndex !== 0 || s.retrains !== 0)) return false;
	return true;
}
