// One recorded call from the trainee's side, shared by the mock call (self-paced and
// examiner-led) and the agent desktop of a go-live shift: the audio (microphone + customer audio),
// the chunked recorder, the customer's lines of the default path and how far the trainee got
// (kept in localStorage, so a reopened tab resumes at the same line), the upload state shown
// while recording, and the last error in the user's language.
import { ChunkedRecorder, type CallAudio, type UploadState } from './recorder';
import { session } from './session';

export type ServedCall = { n: number; scenarioSlug: string; beats: string[] };

const idleUpload = (): UploadState => ({
	uploaded: 0,
	bytes: 0,
	pending: 0,
	offline: false,
	error: null
});

export class RecordedCall {
	upload = $state<UploadState>(idleUpload());
	/** Index of the customer's line being played or just played. */
	beat = $state(0);
	speaking = $state(false);
	error = $state<string | null>(null);
	call = $state<ServedCall | null>(null);
	audio: CallAudio | null = null;
	private recorder: ChunkedRecorder | null = null;

	constructor(private readonly attemptId: string) {}

	get lastLine(): boolean {
		return !this.call || this.beat >= this.call.beats.length - 1;
	}

	private progressKey(n: number) {
		return `mc:${this.attemptId}:${n}`;
	}

	/** Posts to the call's session endpoint; a refusal or lost connection sets `error` (null). */
	async send(body: Record<string, unknown>): Promise<Record<string, unknown> | null> {
		try {
			return await session(this.attemptId, body);
		} catch (e) {
			this.error = (e as Error).message;
			return null;
		}
	}

	/** Opens a new recording for the call (a new segment on the server) and starts uploading
	 *  it in chunks while recording. */
	async record(call: ServedCall): Promise<boolean> {
		try {
			const recorder = new ChunkedRecorder(
				this.attemptId,
				call.n,
				this.audio!.recordStream,
				(s) => (this.upload = s)
			);
			await recorder.start();
			this.recorder = recorder;
			this.call = call;
			return true;
		} catch (e) {
			this.error = (e as Error).message;
			return false;
		}
	}

	/** Plays the customer's lines from the first, or (resume) from where the trainee was. */
	async startLines(resume: boolean) {
		const call = this.call!;
		this.beat = resume
			? Math.min(
					Number(localStorage.getItem(this.progressKey(call.n)) ?? 0) || 0,
					call.beats.length - 1
				)
			: 0;
		await this.playLine();
	}

	async nextLine() {
		this.beat++;
		localStorage.setItem(this.progressKey(this.call!.n), String(this.beat));
		await this.playLine();
	}

	private async playLine() {
		if (!this.audio || !this.recorder || !this.call) return;
		const id = this.call.beats[this.beat];
		this.speaking = true;
		this.recorder.markBeat(id);
		try {
			await this.audio.play(`/scenarios/${this.call.scenarioSlug}/beats/${id}`);
		} catch (e) {
			this.error = (e as Error).message;
		}
		this.speaking = false;
	}

	/** Stops recording; resolves once every chunk is on the server and the recording is
	 *  assembled and checked there. Can be called again after a failure. */
	async finish(): Promise<{ durationMs: number; bytes: number }> {
		const call = this.call!;
		const saved = await this.recorder!.finish();
		localStorage.removeItem(this.progressKey(call.n));
		return saved;
	}

	/** Ready for the next call of a shift. */
	reset() {
		this.upload = idleUpload();
	}

	close() {
		this.audio?.close();
		this.audio = null;
	}
}
