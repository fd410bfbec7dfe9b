// Browser side of autosave. Every change gets the item's next sequence number and is kept in
// localStorage until the server acknowledges it, so a lost connection, a crash or a closed tab
// loses nothing: the next load (on this computer) sends what the server has not confirmed.
// The server keeps the highest sequence per item, so retries and reordering are harmless.

export type SaveStatus = 'saved' | 'saving' | 'offline' | 'closed';
type Pending = { value: unknown; seq: number };

export class AutoSaver {
	private pending = new Map<string, Pending>();
	private seqs = new Map<string, number>();
	private timers = new Map<string, ReturnType<typeof setTimeout>>();
	private inFlight = new Set<string>();
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private closed = false;

	constructor(
		private readonly url: string,
		private readonly storagePrefix: string,
		serverSeqs: Record<string, number>,
		private readonly onChange: (status: SaveStatus, unsaved: number, serverNow?: string) => void
	) {
		for (const [id, seq] of Object.entries(serverSeqs)) this.seqs.set(id, seq);
	}

	/** Answers kept locally that the server has not confirmed (newer than what it has). */
	restore(): Map<string, unknown> {
		const restored = new Map<string, unknown>();
		for (let i = 0; i < localStorage.length; i++) {
			const k = localStorage.key(i);
			if (!k?.startsWith(this.storagePrefix)) continue;
			const itemId = k.slice(this.storagePrefix.length);
			try {
				const p = JSON.parse(localStorage.getItem(k)!) as Pending;
				if (p.seq > (this.seqs.get(itemId) ?? 0)) {
					this.pending.set(itemId, p);
					this.seqs.set(itemId, p.seq);
					restored.set(itemId, p.value);
				} else localStorage.removeItem(k);
			} catch {
				localStorage.removeItem(k);
			}
		}
		if (restored.size) this.flush();
		return restored;
	}

	change(itemId: string, value: unknown, debounceMs = 500) {
		if (this.closed) return;
		const seq = (this.seqs.get(itemId) ?? 0) + 1;
		this.seqs.set(itemId, seq);
		const p = { value, seq };
		this.pending.set(itemId, p);
		try {
			localStorage.setItem(this.storagePrefix + itemId, JSON.stringify(p));
		} catch {
			/* storage full or disabled: the server copy is still the goal */
		}
		clearTimeout(this.timers.get(itemId));
		this.timers.set(
			itemId,
			setTimeout(() => this.send(itemId), debounceMs)
		);
		this.report('saving');
	}

	get unsaved(): number {
		return this.pending.size;
	}

	/** Sends everything pending now; resolves when every send has been answered. */
	async flush(): Promise<void> {
		await Promise.all([...this.pending.keys()].map((id) => this.send(id)));
	}

	private async send(itemId: string): Promise<void> {
		clearTimeout(this.timers.get(itemId));
		const p = this.pending.get(itemId);
		if (!p || this.inFlight.has(itemId) || this.closed) return;
		this.inFlight.add(itemId);
		try {
			const res = await fetch(this.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ itemId, value: p.value, seq: p.seq })
			});
			const body = await res.json().catch(() => ({}));
			if (res.status === 409) {
				this.closed = true;
				this.report('closed');
				return;
			}
			if (!res.ok) throw new Error(`save failed: ${res.status}`);
			// Acknowledged (saved, or the server already has something newer).
			if (this.pending.get(itemId)?.seq === p.seq) {
				this.pending.delete(itemId);
				localStorage.removeItem(this.storagePrefix + itemId);
			}
			this.report(this.pending.size ? 'saving' : 'saved', body.serverNow);
		} catch {
			this.report('offline');
			this.scheduleRetry();
		} finally {
			this.inFlight.delete(itemId);
			// A newer change arrived while this one was in flight.
			const now = this.pending.get(itemId);
			if (now && now.seq !== p.seq && !this.closed) void this.send(itemId);
		}
	}

	private scheduleRetry() {
		if (this.retryTimer) return;
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			void this.flush();
		}, 3000);
	}

	retryNow() {
		void this.flush();
	}

	/** After submission: nothing of this attempt stays on the computer. */
	clear() {
		this.closed = true;
		for (const t of this.timers.values()) clearTimeout(t);
		clearExamDrafts(this.storagePrefix);
		this.pending.clear();
	}

	private report(status: SaveStatus, serverNow?: string) {
		this.onChange(status, this.pending.size, serverNow);
	}
}

/** Removes the exam answers kept on this computer: one attempt's (its prefix), or every one. */
export function clearExamDrafts(prefix = 'exam:') {
	const keys: string[] = [];
	for (let i = 0; i < localStorage.length; i++) {
		const k = localStorage.key(i);
		if (k?.startsWith(prefix)) keys.push(k);
	}
	for (const k of keys) localStorage.removeItem(k);
}

/** At sign-out: every exam answer kept on this computer goes. */
export const clearAllExamDrafts = () => clearExamDrafts();
