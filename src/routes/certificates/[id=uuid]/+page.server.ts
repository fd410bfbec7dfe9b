import QRCode from 'qrcode';
import { getCertificate } from '$lib/server/certificates/certificates';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
	const certificate = await getCertificate(locals.user!, params.id);
	const verifyUrl = `${url.origin}/verify?code=${certificate.verificationCode}`;
	const qrSvg = await QRCode.toString(verifyUrl, {
		type: 'svg',
		margin: 0,
		errorCorrectionLevel: 'M',
		color: { dark: '#0f172a', light: '#ffffff' }
	});
	const { verificationCode: _code, ...rest } = certificate;
	return {
		certificate: rest,
		verifyUrl,
		qrSvg,
		staff: locals.user!.roles.some((r) => r === 'hr' || r === 'admin')
	};
}) satisfies PageServerLoad;
