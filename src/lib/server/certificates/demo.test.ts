import { describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed';
import { makeActor } from '../testing/fixtures';
import { listRecords } from './records';

describe('demo data', () => {
	it('includes a certified trainee for HR', async () => {
		await seedDemo();
		const hr = await makeActor(['hr']);
		const { rows } = await listRecords(hr, { status: 'certified' });
		expect(rows.map((r) => r.name)).toContain('王芳');
	});
});
