// Record statuses and sort keys, shared by the records domain (server) and its pages.
export const RECORD_STATUSES = [
	'in_training',
	'certified',
	'expired',
	'revoked',
	'eliminated'
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
export const RECORD_SORTS = [
	'name',
	'employee_no',
	'cohort',
	'status',
	'enrolled',
	'issued'
] as const;
export type RecordSort = (typeof RECORD_SORTS)[number];
export type CertificateState = 'valid' | 'expired' | 'revoked';
