// Many small writes of the same shape (a whole cohort's autosaves) cost the database far more as
// one statement and one commit each than together: the protocol round trip, the commit and the
// wake-ups are paid once a batch. The Batcher sends a write at once while fewer than
// `maxInFlight` statements are running, so an idle server adds no wait; under load the writes
// that arrive meanwhile go together in the next statement. Each caller still gets its own
// result only once the statement holding its write has returned (committed).
// Writes with the same key (the same row) never run at the same time: one statement may not
// write a row twice, and two statements writing the same rows could deadlock or commit out of
// order. They go one after the other, in the order they came.

/** The next batch from the queue: in queue order, at most `max` entries, none whose key is
 *  `busy` (being written) or taken by an earlier entry; the others stay queued, in order. */
export function takeBatch<T>(
	queue: readonly T[],
	key: (entry: T) => string,
	max: number,
	busy: ReadonlySet<string> = new Set()
) {
	const batch: T[] = [];
	const rest: T[] = [];
	const seen = new Set<string>();
	for (const entry of queue) {
		const k = key(entry);
		if (batch.length < max && !seen.has(k) && !busy.has(k)) batch.push(entry);
		else rest.push(entry);
		seen.add(k);
	}
	return { batch, rest };
}

type Waiting<T, R> = { entry: T; resolve: (result: R) => void; reject: (error: unknown) => void };

export class Batcher<T, R> {
	#queue: Waiting<T, R>[] = [];
	#inFlight = 0;
	#busy = new Set<string>();

	/** `run` writes a batch and returns one result per entry, in the batch's order. */
	constructor(
		private readonly run: (batch: T[]) => Promise<R[]>,
		private readonly options: { key: (entry: T) => string; maxBatch: number; maxInFlight: number }
	) {}

	submit(entry: T): Promise<R> {
		return new Promise<R>((resolve, reject) => {
			this.#queue.push({ entry, resolve, reject });
			this.#pump();
		});
	}

	#pump() {
		const { key, maxBatch, maxInFlight } = this.options;
		while (this.#inFlight < maxInFlight && this.#queue.length > 0) {
			const { batch, rest } = takeBatch(this.#queue, (w) => key(w.entry), maxBatch, this.#busy);
			if (batch.length === 0) return; // all waiting for rows being written
			this.#queue = rest;
			this.#inFlight++;
			void this.#send(batch);
		}
	}

	async #send(batch: Waiting<T, R>[]) {
		const keys = batch.map((w) => this.options.key(w.entry));
		for (const k of keys) this.#busy.add(k);
		try {
			const results = await this.run(batch.map((w) => w.entry));
			if (results.length !== batch.length)
				throw new Error(`a batch of ${batch.length} returned ${results.length} results`);
			batch.forEach((w, i) => w.resolve(results[i]));
		} catch (error) {
			for (const w of batch) w.reject(error);
		} finally {
			for (const k of keys) this.#busy.delete(k);
			this.#inFlight--;
			this.#pump();
		}
	}
}
