// The schema barrel: each domain owns its tables; drizzle-kit and the client read them here.
export * from '../people/schema';
export * from '../auth/schema';
export * from '../audit/schema';
export * from '../learning/schema';
