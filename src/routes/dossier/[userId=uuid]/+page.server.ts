import { dossierView } from '$lib/server/dossier/view';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => ({
	dossier: await dossierView(locals.user!, params.userId)
})) satisfies PageServerLoad;
