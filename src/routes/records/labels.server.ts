import { m } from '$lib/paraglide/messages';
import {
	RECORD_SORTS,
	RECORD_STATUSES,
	type RecordSort,
	type RecordStatus
} from '$lib/records-shared';
import type { RecordFilters } from '$lib/server/certificates/records';
import { STATUS_LABEL } from './labels';

export function exportLabels() {
	return {
		columns: {
			name: m.records_col_name(),
			employeeNo: m.records_col_employee_no(),
			cohortName: m.records_col_cohort(),
			teacherName: m.records_col_teacher(),
			programSlug: m.records_col_program(),
			statusLabel: m.records_col_status(),
			enrolledAt: m.records_col_enrolled(),
			certificateNumber: m.records_col_certificate(),
			issuedAt: m.records_col_issued(),
			validUntil: m.records_col_valid_until(),
			averageScore: m.records_col_average(),
			finalScore: m.records_col_final()
		},
		status: Object.fromEntries(RECORD_STATUSES.map((s) => [s, STATUS_LABEL[s]()])) as Record<
			RecordStatus,
			string
		>,
		sheet: m.records_sheet()
	};
}

export function filtersFrom(url: URL): RecordFilters {
	const get = (k: string) => url.searchParams.get(k)?.slice(0, 100) || null;
	const status = get('status');
	const sort = get('sort');
	return {
		q: get('q') ?? '',
		cohortId: get('cohort'),
		teacherId: get('teacher'),
		status:
			status && (RECORD_STATUSES as readonly string[]).includes(status)
				? (status as RecordStatus)
				: null,
		from: get('from'),
		to: get('to'),
		sort:
			sort && (RECORD_SORTS as readonly string[]).includes(sort)
				? (sort as RecordSort)
				: 'enrolled',
		dir: get('dir') === 'asc' ? 'asc' : 'desc'
	};
}
