// Autosave of a rubric draft from the live console: changes are debounced, requests go out one
// after another (each names the version it was based on), and a save refused because the draft
// moved on elsewhere (another tab, the grading page) stops autosaving and says so.
import { m } from '$lib/paraglide/messages';

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'conflict' | 'error';

export class DraftSaver {
	status = $state<SaveStatus>('idle');
	savedAt = $state<number | null>(null);
	message = $state('');
	version: number;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private chain: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly url: string,
		version: number,
		private readonly body: () => Record<string, unknown>,
		private readonly delayMs = 600
	) {
		this.version = version;
	}

	/** Something changed: save shortly (changes in quick succession make one request). */
	changed() {
		if (this.status === 'conflict') return;
		this.status = 'saving';
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.flush(), this.delayMs);
	}

	/** Saves now (after any request already on its way). */
	flush(): Promise<unknown> {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.chain = this.chain.then(() => this.post());
		return this.chain;
	}

	private async post() {
		if (this.status === 'conflict') return;
		let res: Response;
		try {
			res = await fetch(this.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ ...this.body(), expectedVersion: this.version })
			});
		} catch {
			// Lost connection: say so and try again until it is back.
			this.status = 'error';
			this.message = m.mc_draft_offline();
			if (!this.timer) this.timer = setTimeout(() => void this.flush(), 3000);
			return;
		}
		const body = await res.json().catch(() => ({}));
		if (res.status === 409) {
			this.status = 'conflict';
			this.message = body.error ?? m.ca_grading_conflict();
		} else if (!res.ok) {
			this.status = 'error';
			this.message = body.error ?? `HTTP ${res.status}`;
		} else {
			this.version = body.version;
			this.status = 'saved';
			this.savedAt = Date.now();
			this.message = '';
		}
	}

	cancel() {
		if (this.timer) clearTimeout(this.timer);
	}
}
