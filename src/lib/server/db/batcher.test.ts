import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Batcher, takeBatch } from './batcher';

type Entry = { id: number; key: string };
const entries = fc
	.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 30 })
	.map((keys) => keys.map((key, id) => ({ id, key })));

describe('takeBatch', () => {
	it('takes the first entry of each free key, in order, up to the limit; keeps the rest in order', () => {
		fc.assert(
			fc.property(
				entries,
				fc.integer({ min: 1, max: 8 }),
				fc.subarray(['a', 'b', 'c', 'd', 'e']),
				(queue, max, busyKeys) => {
					const busy = new Set(busyKeys);
					const { batch, rest } = takeBatch(queue, (e: Entry) => e.key, max, busy);
					// Nothing lost or repeated, and both keep the queue's order.
					expect([...batch, ...rest].map((e) => e.id).sort((x, y) => x - y)).toEqual(
						queue.map((e) => e.id)
					);
					for (const part of [batch, rest])
						expect(part.map((e) => e.id)).toEqual([...part.map((e) => e.id)].sort((x, y) => x - y));
					// At most `max`, one per key, no busy key.
					expect(batch.length).toBeLessThanOrEqual(max);
					expect(new Set(batch.map((e) => e.key)).size).toBe(batch.length);
					expect(batch.some((e) => busy.has(e.key))).toBe(false);
					// Only the first entry of a key may go: a later one never overtakes it.
					for (const e of batch) expect(queue.find((q) => q.key === e.key)).toBe(e);
					// A free key left behind means the batch is full.
					const free = queue.filter((e) => !busy.has(e.key));
					const keysLeft = new Set(free.map((e) => e.key));
					for (const e of batch) keysLeft.delete(e.key);
					if (keysLeft.size > 0) expect(batch.length).toBe(max);
				}
			)
		);
	});
});

/** A write whose statements the test finishes by hand, recording what each batch held. */
function manualWrites() {
	const batches: { keys: string[]; finish: (error?: Error) => void }[] = [];
	const run = (batch: Entry[]) =>
		new Promise<string[]>((resolve, reject) => {
			batches.push({
				keys: batch.map((e) => e.key),
				finish: (error) => (error ? reject(error) : resolve(batch.map((e) => `done ${e.id}`)))
			});
		});
	return { batches, run };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('Batcher', () => {
	it('sends at once while statements are free, then batches what arrives meanwhile', async () => {
		const { batches, run } = manualWrites();
		const b = new Batcher(run, { key: (e: Entry) => e.key, maxBatch: 3, maxInFlight: 2 });
		const results = ['a', 'b', 'c', 'd', 'e', 'f'].map((key, id) => b.submit({ id, key }));
		await settle();
		expect(batches.map((x) => x.keys)).toEqual([['a'], ['b']]);
		batches[0].finish();
		await settle();
		expect(batches.map((x) => x.keys)).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
		batches[1].finish();
		batches[2].finish();
		await settle();
		expect(batches.map((x) => x.keys)).toEqual([['a'], ['b'], ['c', 'd', 'e'], ['f']]);
		batches[3].finish();
		expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `done ${i}`));
	});

	it('never writes one key in two statements at once, and keeps each key in order', async () => {
		const { batches, run } = manualWrites();
		const b = new Batcher(run, { key: (e: Entry) => e.key, maxBatch: 10, maxInFlight: 3 });
		const results = ['a', 'a', 'b', 'a'].map((key, id) => b.submit({ id, key }));
		await settle();
		// The second "a" waits for the first, and the third for the second.
		expect(batches.map((x) => x.keys)).toEqual([['a'], ['b']]);
		batches[0].finish();
		await settle();
		expect(batches.map((x) => x.keys)).toEqual([['a'], ['b'], ['a']]);
		batches[2].finish();
		await settle();
		expect(batches.map((x) => x.keys)).toEqual([['a'], ['b'], ['a'], ['a']]);
		batches[1].finish();
		batches[3].finish();
		expect(await Promise.all(results)).toEqual([0, 1, 2, 3].map((i) => `done ${i}`));
	});

	it('fails every entry of a failed batch and goes on with the next', async () => {
		const { batches, run } = manualWrites();
		const b = new Batcher(run, { key: (e: Entry) => e.key, maxBatch: 10, maxInFlight: 1 });
		const first = b.submit({ id: 0, key: 'a' });
		const failed = Promise.allSettled([
			b.submit({ id: 1, key: 'b' }),
			b.submit({ id: 2, key: 'c' })
		]);
		await settle();
		batches[0].finish();
		await settle();
		batches[1].finish(new Error('connection lost'));
		expect((await failed).map((r) => r.status === 'rejected' && String(r.reason))).toEqual([
			'Error: connection lost',
			'Error: connection lost'
		]);
		expect(await first).toBe('done 0');
		const fourth = b.submit({ id: 3, key: 'b' });
		await settle();
		batches[2].finish();
		expect(await fourth).toBe('done 3');
	});

	it('refuses a write that answers for the wrong number of entries', async () => {
		const b = new Batcher(async () => ['only one'], {
			key: (e: Entry) => e.key,
			maxBatch: 10,
			maxInFlight: 1
		});
		const first = b.submit({ id: 0, key: 'a' });
		const failed = Promise.allSettled([
			b.submit({ id: 1, key: 'b' }),
			b.submit({ id: 2, key: 'c' })
		]);
		expect(await first).toBe('only one');
		expect((await failed).map((r) => r.status === 'rejected' && String(r.reason))).toEqual([
			'Error: a batch of 2 returned 1 results',
			'Error: a batch of 2 returned 1 results'
		]);
	});
});
