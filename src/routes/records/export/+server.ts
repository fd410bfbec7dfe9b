import { error } from '@sveltejs/kit';
import { exportRecords } from '$lib/server/certificates/records';
import type { RequestHandler } from './$types';
import { exportLabels, filtersFrom } from '../labels.server';

export const GET: RequestHandler = async ({ locals, url, getClientAddress }) => {
	const format = url.searchParams.get('format');
	if (format !== 'csv' && format !== 'xlsx') error(400, 'format must be csv or xlsx');
	const { body } = await exportRecords(
		locals.user!,
		filtersFrom(url),
		format,
		exportLabels(),
		getClientAddress()
	);
	const stamp = new Date().toISOString().slice(0, 10);
	const name = `certification-records-${stamp}.${format}`;
	return new Response(body as BodyInit, {
		headers: {
			'content-type':
				format === 'csv'
					? 'text/csv; charset=utf-8'
					: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'private, no-store'
		}
	});
};
