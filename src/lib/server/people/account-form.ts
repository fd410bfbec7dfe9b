import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { ROLES } from './roles';

const optional = (max: number) =>
	z.string().trim().max(max, m.error_too_long({ max })).optional().default('');

/** The profile fields an admin edits; shared by the create and edit forms. */
export const profileSchema = () =>
	z.object({
		displayName: z
			.string()
			.trim()
			.min(1, m.error_required())
			.max(60, m.error_too_long({ max: 60 })),
		employeeNo: optional(30),
		email: z
			.string()
			.trim()
			.max(200)
			.refine((v) => v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), m.error_email())
			.optional()
			.default(''),
		phone: optional(30)
	});

export const rolesSchema = () => z.object({ roles: z.array(z.enum(ROLES)).default([]) });

export const createAccountSchema = () =>
	profileSchema()
		.extend({
			login: z
				.string()
				.trim()
				.toLowerCase()
				.min(1, m.error_required())
				.max(40, m.error_too_long({ max: 40 })),
			password: optional(256)
		})
		.extend(rolesSchema().shape)
		.refine((v) => v.roles.length > 0, { message: m.error_role_required(), path: ['roles'] });
