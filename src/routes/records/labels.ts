import { m } from '$lib/paraglide/messages';
import type { CertificateState, RecordStatus } from '$lib/records-shared';

export const STATUS_LABEL: Record<RecordStatus, () => string> = {
	in_training: m.records_status_in_training,
	certified: m.records_status_certified,
	expired: m.records_status_expired,
	revoked: m.records_status_revoked,
	eliminated: m.records_status_eliminated
};

export const STATUS_CLASS: Record<RecordStatus, string> = {
	in_training: 'bg-sky-50 text-sky-800',
	certified: 'bg-emerald-50 text-emerald-700',
	expired: 'bg-amber-50 text-amber-800',
	revoked: 'bg-red-50 text-red-700',
	eliminated: 'bg-slate-100 text-slate-600'
};

export const CERT_STATE_LABEL: Record<CertificateState, () => string> = {
	valid: m.records_state_valid,
	expired: m.records_state_expired,
	revoked: m.records_state_revoked
};

export const CERT_STATE_CLASS: Record<CertificateState, string> = {
	valid: 'bg-emerald-50 text-emerald-700',
	expired: 'bg-amber-50 text-amber-800',
	revoked: 'bg-red-50 text-red-700'
};
