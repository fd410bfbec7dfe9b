// The browser side of sitting a timed attempt, without any framework: autosave (AutoSaver), the
// save status, the countdown on the server's clock, the deadline, the warning before leaving
// with unsaved answers and the submit sequence (confirm → flush → submit → wipe local copies).
// Used by the written test's standalone script (exam-client/main.ts, no Svelte on that page) and
// by the case-analysis page (a Svelte page, which renders the state it is given).
import { AutoSaver, type SaveStatus } from '../exam-autosave';

/** What the status line shows. */
export type StatusKey = 'saved' | 'saving' | 'offline' | 'closed';

/** Translated strings, rendered by the server (the script imports no message catalogue). */
export interface ExamTexts {
	saved: string;
	saving: string;
	offline: string;
	closed: string;
	confirm: string;
	/** With `{count}` where the number goes. */
	unanswered: string;
}

export const STATUS_CLASS: Record<StatusKey, string> = {
	saved: 'text-emerald-700',
	saving: 'text-slate-500',
	offline: 'text-amber-700',
	closed: 'text-red-700'
};

export function statusKey(status: SaveStatus, unsaved: number): StatusKey {
	if (status === 'offline' || status === 'closed') return status;
	return unsaved > 0 ? 'saving' : 'saved';
}

/** 1:05:09, 05:09. */
export function formatClock(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	const h = Math.floor(s / 3600);
	const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
	const ss = String(s % 60).padStart(2, '0');
	return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export interface ExamSessionOptions {
	attemptId: string;
	userId: string;
	deadlineAt: string;
	/** The server's clock when the page was rendered: the countdown follows it. */
	serverNow: string;
	/** Sequence numbers the server holds, by item id. */
	seqs: Record<string, number>;
	texts: ExamTexts;
	onStatus: (key: StatusKey) => void;
	onTick: (remainingMs: number) => void;
	/** Time is up: submit what there is (called once). */
	onDeadline: () => void;
}

export const storagePrefix = (userId: string, attemptId: string) => `exam:${userId}:${attemptId}:`;

export class ExamSession {
	readonly saver: AutoSaver;
	private offset: number;
	private readonly deadline: number;
	private submitting = false;

	constructor(private readonly o: ExamSessionOptions) {
		this.deadline = new Date(o.deadlineAt).getTime();
		// The server's clock decides, whatever this computer's clock says.
		this.offset = new Date(o.serverNow).getTime() - Date.now();
		this.saver = new AutoSaver(
			`/attempts/${o.attemptId}/responses`,
			storagePrefix(o.userId, o.attemptId),
			o.seqs,
			(status, unsaved, serverNow) => {
				if (serverNow) this.offset = new Date(serverNow).getTime() - Date.now();
				o.onStatus(statusKey(status, unsaved));
			}
		);
	}

	remaining(): number {
		return Math.max(0, this.deadline - (Date.now() + this.offset));
	}

	/** Answers kept on this computer that the server has not confirmed; they are being sent. */
	restore(): Map<string, unknown> {
		return this.saver.restore();
	}

	change(itemId: string, value: unknown, debounceMs: number) {
		this.saver.change(itemId, value, debounceMs);
	}

	/** Starts the clock and the window listeners; returns the function that stops them. */
	start(): () => void {
		let due = false;
		const tick = () => {
			const left = this.remaining();
			this.o.onTick(left);
			if (left <= 0 && !due) {
				due = true;
				this.o.onDeadline();
			}
		};
		tick();
		const timer = setInterval(tick, 500);
		const online = () => this.saver.retryNow();
		const beforeUnload = (e: BeforeUnloadEvent) => {
			if (!this.submitting && this.saver.unsaved > 0) e.preventDefault();
		};
		addEventListener('online', online);
		addEventListener('beforeunload', beforeUnload);
		return () => {
			clearInterval(timer);
			removeEventListener('online', online);
			removeEventListener('beforeunload', beforeUnload);
		};
	}

	/** Before submitting: asks (unless time is up), then sends what is pending. False: do not submit. */
	async beforeSubmit(unanswered = 0): Promise<boolean> {
		const t = this.o.texts;
		const question =
			t.confirm +
			(unanswered > 0 ? '\n' + t.unanswered.replace('{count}', String(unanswered)) : '');
		if (this.remaining() > 0 && !confirm(question)) return false;
		this.submitting = true;
		await this.saver.flush();
		return true;
	}

	/** After the submission: on success nothing of the attempt stays on this computer. */
	afterSubmit(ok: boolean) {
		if (ok) this.saver.clear();
		else this.submitting = false;
	}
}
