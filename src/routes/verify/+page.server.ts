import { groupCode, normalizeCode } from '$lib/server/certificates/certificates';
import { verifyCertificate, type VerifyResult } from '$lib/server/certificates/verify';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, getClientAddress, setHeaders }) => {
	const code = url.searchParams.get('code')?.slice(0, 64) ?? '';
	setHeaders({ 'cache-control': 'no-store' });
	if (!code.trim()) return { code, result: null as VerifyResult | null };
	const normal = normalizeCode(code);
	return {
		code: normal ? groupCode(normal) : code,
		result: await verifyCertificate(code, getClientAddress())
	};
}) satisfies PageServerLoad;
