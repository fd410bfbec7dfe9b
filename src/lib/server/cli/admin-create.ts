// Creates the first administrator of a real deployment.
//   npm run admin:create -- --login admin --name "王敏" [--password …]
// Missing values are asked for interactively (the password without echo).
import { createInterface } from 'node:readline/promises';
import { recordAudit } from '../audit/log';
import { RuleViolation } from '../errors';
import { insertAccount } from '../people/accounts';
import { flag, withDatabase } from './open';

async function ask(question: string, hidden = false): Promise<string> {
	const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
	if (hidden) {
		// Mute the echo of typed characters.
		const out = rl as unknown as {
			_writeToOutput: (s: string) => void;
			output: NodeJS.WriteStream;
		};
		out._writeToOutput = (s: string) => {
			if (s.includes(question)) out.output.write(s);
		};
	}
	const answer = await rl.question(question);
	rl.close();
	if (hidden) process.stdout.write('\n');
	return answer.trim();
}

const login = flag('login') ?? (await ask('login: '));
const name = flag('name') ?? (await ask('display name: '));
let password = flag('password') ?? process.env.ADMIN_PASSWORD;
if (!password) {
	password = await ask('password (8+ characters): ', true);
	const again = await ask('password again: ', true);
	if (password !== again) {
		console.error('the passwords do not match');
		process.exit(1);
	}
}

await withDatabase(async () => {
	try {
		const { id } = await insertAccount({
			login,
			displayName: name || login,
			roles: ['admin'],
			password
		});
		await recordAudit({
			actor: null,
			action: 'people.create_admin',
			target: `user:${id}`,
			detail: { login }
		});
		console.log(`administrator "${login}" created`);
	} catch (e) {
		if (e instanceof RuleViolation) {
			console.error(`not created: ${e.code}${e.field ? ` (${e.field})` : ''}`);
			process.exitCode = 1;
		} else throw e;
	}
});
