import { verifyAuditChain } from '../audit/log';
import { verifyDecisionChain } from '../decisions/decisions';
import { withDatabase } from './open';

await withDatabase(async () => {
	const audit = await verifyAuditChain();
	if (audit.ok) console.log(`audit chain intact: ${audit.rows} entries`);
	else {
		console.error(
			`audit chain broken at entry ${audit.brokenAt}: ${audit.reason} (${audit.rows} entries verified before it)`
		);
		process.exitCode = 1;
	}
	const decisions = await verifyDecisionChain();
	if (decisions.ok) console.log(`decision chain intact: ${decisions.rows} decisions`);
	else {
		console.error(`decision chain broken at decision ${decisions.brokenAt}`);
		process.exitCode = 1;
	}
});
