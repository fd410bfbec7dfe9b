// `npm run content:check`: validates everything in content/ and prints path:line: reason.
import { resolve } from 'node:path';
import { checkContentOnDisk } from '../content/check';

const report = checkContentOnDisk(resolve('content'));
for (const w of report.warnings) console.warn(`warning: ${w}`);
if (report.errors.length) {
	console.error(
		`content is not valid (${report.errors.length} problem${report.errors.length > 1 ? 's' : ''}):`
	);
	for (const e of report.errors) console.error(`  ${e}`);
	process.exit(1);
}
console.log(report.summary);
