import { dossierView } from '$lib/server/dossier/view';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => ({
	dossier: await dossierView(locals.user!, locals.user!.id)
})) satisfies PageServerLoad;
