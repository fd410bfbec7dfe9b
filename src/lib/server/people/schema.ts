import {
	boolean,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';

export const roleEnum = pgEnum('role', ['trainee', 'teacher', 'examiner', 'hr', 'admin']);

export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Sign-in name, stored lower-case. */
		login: text('login').notNull(),
		displayName: text('display_name').notNull(),
		employeeNo: text('employee_no'),
		email: text('email'),
		phone: text('phone'),
		passwordHash: text('password_hash').notNull(),
		active: boolean('active').notNull().default(true),
		/** Set by an admin reset or a one-time password: the next sign-in must choose a new one. */
		mustChangePassword: boolean('must_change_password').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('users_login_key').on(t.login),
		uniqueIndex('users_employee_no_key').on(t.employeeNo)
	]
);

export const userRoles = pgTable(
	'user_roles',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: roleEnum('role').notNull(),
		grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.role] })]
);
