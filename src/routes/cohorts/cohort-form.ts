import { z } from 'zod';
import { m } from '$lib/paraglide/messages';

const date = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, m.cohorts_error_date());

export const cohortSchema = () =>
	z
		.object({
			name: z
				.string()
				.trim()
				.min(1, m.error_required())
				.max(80, m.error_too_long({ max: 80 })),
			programSlug: z.string().min(1, m.error_required()).default('onboarding'),
			startsOn: date(),
			endsOn: date(),
			teacherId: z.string().uuid(m.error_required()),
			examinerIds: z.array(z.string().uuid()).default([])
		})
		.refine((v) => v.endsOn >= v.startsOn, {
			message: m.cohorts_error_dates_order(),
			path: ['endsOn']
		});
