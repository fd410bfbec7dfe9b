// The schema barrel: each domain owns its tables; drizzle-kit and the client read them here.
export * from '../people/schema';
export * from '../auth/schema';
export * from '../audit/schema';
export * from '../learning/schema';
export * from '../cohorts/schema';
export * from '../profiles/schema';
export * from '../dossier/schema';
export * from '../decisions/schema';
export * from '../exams/schema';
export * from '../attempts/schema';
export * from '../certificates/schema';
export * from '../cases/schema';
export * from '../recordings/schema';
export * from '../asr/schema';
