import { seedDemoIfEmpty } from '../demo/seed';
import { withDatabase } from './open';

await withDatabase(async () => {
	if (!(await seedDemoIfEmpty())) {
		console.error(
			'the database already has accounts: demo data is only loaded into an empty database'
		);
		process.exitCode = 1;
	}
});
