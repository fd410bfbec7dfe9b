import { verifyAuditChain } from '../audit/log';
import { withDatabase } from './open';

await withDatabase(async () => {
	const report = await verifyAuditChain();
	if (report.ok) console.log(`audit chain intact: ${report.rows} entries`);
	else {
		console.error(`audit chain broken at entry ${report.brokenAt}: ${report.reason} (${report.rows} entries verified before it)`);
		process.exitCode = 1;
	}
});
