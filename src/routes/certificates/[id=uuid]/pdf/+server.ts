import { recordAudit } from '$lib/server/audit/log';
import { getCertificate } from '$lib/server/certificates/certificates';
import { certificatePdf } from '$lib/server/certificates/pdf';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url, getClientAddress }) => {
	const certificate = await getCertificate(locals.user!, params.id);
	const pdf = await certificatePdf(
		certificate,
		`${url.origin}/verify?code=${certificate.verificationCode}`
	);
	await recordAudit({
		actor: locals.user,
		action: 'certificate.download',
		target: `certificate:${certificate.id}`,
		ip: getClientAddress()
	});
	return new Response(pdf as BodyInit, {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${certificate.number}.pdf"`,
			'cache-control': 'private, no-store'
		}
	});
};
