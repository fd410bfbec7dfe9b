// Labels shared by the cohort pages: stage status, risk flags, note kinds, outcomes.
import { m } from '$lib/paraglide/messages';

type State = { status: string; readyForCertification: boolean };

export function stageStatusLabel(s: State): string {
	if (s.readyForCertification) return m.cohorts_status_ready();
	const map: Record<string, () => string> = {
		not_started: m.cohorts_status_not_started,
		in_training: m.cohorts_status_in_training,
		awaiting_decision: m.cohorts_status_awaiting_decision,
		passed: m.cohorts_status_passed,
		retrain: m.cohorts_status_retrain,
		eliminated: m.cohorts_status_eliminated
	};
	return (map[s.status] ?? (() => s.status))();
}

export function statusClass(s: State): string {
	if (s.readyForCertification) return 'bg-emerald-100 text-emerald-800';
	if (s.status === 'eliminated') return 'bg-red-100 text-red-800';
	if (s.status === 'awaiting_decision') return 'bg-amber-50 text-amber-800';
	if (s.status === 'not_started') return 'bg-slate-100 text-slate-600';
	return 'bg-sky-50 text-sky-800';
}

export function flagLabel(f: string): string {
	const map: Record<string, () => string> = {
		behind: m.cohorts_flag_behind,
		failed: m.cohorts_flag_failed,
		low_profile: m.cohorts_flag_low_profile,
		inactive: m.cohorts_flag_inactive
	};
	return (map[f] ?? (() => f))();
}

export function noteKindLabel(k: string): string {
	const map: Record<string, () => string> = {
		talk: m.cohorts_note_talk,
		praise: m.cohorts_note_praise,
		warning: m.cohorts_note_warning,
		concern: m.cohorts_note_concern,
		observation: m.cohorts_note_observation
	};
	return (map[k] ?? (() => k))();
}

export function outcomeLabel(o: string): string {
	const map: Record<string, () => string> = {
		pass: m.cohorts_outcome_pass,
		retrain: m.cohorts_outcome_retrain,
		eliminate: m.cohorts_outcome_eliminate
	};
	return (map[o] ?? (() => o))();
}
