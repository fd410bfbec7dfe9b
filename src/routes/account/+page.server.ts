import type { PageServerLoad } from './$types';

export const load = (({ locals }) => ({ me: locals.user! })) satisfies PageServerLoad;
