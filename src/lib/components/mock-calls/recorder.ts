// Browser side of a recorded call: the microphone (with a level meter), optional customer audio
// mixed into the same recording (so the recording is the whole call), MediaRecorder with a 1 s
// timeslice, and chunk upload while recording: each chunk PUT with its index, retried until the
// server has it (after a lost connection the client asks which chunks the server holds and sends
// only the rest). Finishing waits for every chunk, then asks the server to assemble and check.
import { session } from './session';

export type UploadState = {
	uploaded: number;
	bytes: number;
	pending: number;
	offline: boolean;
	error: string | null;
};

export function pickMimeType(): string {
	const types = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/ogg'];
	for (const t of types)
		if (typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(t)) return t;
	return '';
}

/** Microphone + an audio graph: mic and customer audio both go to the recording; customer
 *  audio also to the speakers; an analyser on the mic drives the level meter. */
export class CallAudio {
	ctx: AudioContext;
	dest: MediaStreamAudioDestinationNode;
	analyser: AnalyserNode;
	private mic: MediaStreamAudioSourceNode;
	constructor(public readonly stream: MediaStream) {
		this.ctx = new AudioContext();
		this.dest = this.ctx.createMediaStreamDestination();
		this.mic = this.ctx.createMediaStreamSource(stream);
		this.analyser = this.ctx.createAnalyser();
		this.analyser.fftSize = 512;
		this.mic.connect(this.analyser);
		this.mic.connect(this.dest);
	}
	static async open(): Promise<CallAudio> {
		const stream = await navigator.mediaDevices.getUserMedia({
			audio: { echoCancellation: true, noiseSuppression: true }
		});
		return new CallAudio(stream);
	}
	/** 0…1 */
	level(): number {
		const data = new Uint8Array(this.analyser.fftSize);
		this.analyser.getByteTimeDomainData(data);
		let sum = 0;
		for (const v of data) sum += ((v - 128) / 128) ** 2;
		return Math.min(1, Math.sqrt(sum / data.length) * 4);
	}
	running = false;
	/** Starts the audio graph (call from a click). Where it cannot run (no audio output, a
	 *  refused autoplay), the call records the microphone alone and plays clips through an
	 *  <audio> element, so the recording still works. */
	async ensureRunning(): Promise<boolean> {
		if (this.ctx.state !== 'running')
			await Promise.race([this.ctx.resume(), new Promise((r) => setTimeout(r, 1500))]);
		this.running = this.ctx.state === 'running';
		return this.running;
	}
	/** What to record: mic + customer audio when the graph runs, else the microphone. */
	get recordStream(): MediaStream {
		return this.running ? this.dest.stream : this.stream;
	}
	/** Plays a clip to the speakers and into the recording; resolves when it ends. */
	async play(url: string): Promise<void> {
		if (!this.running) {
			const el = new Audio(url);
			await new Promise<void>((resolve) => {
				const done = () => resolve();
				el.onended = done;
				el.onerror = done;
				el.onloadedmetadata = () => setTimeout(done, (el.duration || 10) * 1000 + 1500);
				el.play().catch(() => setTimeout(done, 3000));
			});
			return;
		}
		const res = await fetch(url);
		if (!res.ok) throw new Error(`audio ${res.status}`);
		const buf = await this.ctx.decodeAudioData(await res.arrayBuffer());
		const src = this.ctx.createBufferSource();
		src.buffer = buf;
		src.connect(this.ctx.destination);
		src.connect(this.dest);
		await new Promise<void>((resolve) => {
			src.onended = () => resolve();
			// Never wait forever on a stalled clock.
			setTimeout(resolve, buf.duration * 1000 + 1500);
			src.start();
		});
	}
	/** A phone ring (two short tones) to the speakers only. */
	ring() {
		const t = this.ctx.currentTime;
		for (const at of [0, 0.5]) {
			const o = this.ctx.createOscillator();
			const g = this.ctx.createGain();
			o.frequency.value = 440;
			g.gain.setValueAtTime(0.15, t + at);
			g.gain.setValueAtTime(0, t + at + 0.35);
			o.connect(g).connect(this.ctx.destination);
			o.start(t + at);
			o.stop(t + at + 0.4);
		}
	}
	close() {
		for (const t of this.stream.getTracks()) t.stop();
		void this.ctx.close();
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ChunkedRecorder {
	recordingId: string | null = null;
	private rec: MediaRecorder | null = null;
	private queue: { index: number; blob: Blob }[] = [];
	private next = 0;
	private pumping = false;
	private stopped: Promise<void> | null = null;
	startedAt = 0;
	beats: { beatId: string; at: number }[] = [];
	state: UploadState = { uploaded: 0, bytes: 0, pending: 0, offline: false, error: null };

	constructor(
		private readonly attemptId: string,
		private readonly callNo: number,
		private readonly stream: MediaStream,
		private readonly onChange: (s: UploadState) => void,
		private readonly timesliceMs = 1000
	) {}

	private emit() {
		this.state = { ...this.state, pending: this.queue.length };
		this.onChange(this.state);
	}

	async start() {
		const body = await session(this.attemptId, { type: 'recording', call: this.callNo });
		this.recordingId = body.id;
		const mimeType = pickMimeType();
		this.rec = new MediaRecorder(
			this.stream,
			mimeType ? { mimeType, audioBitsPerSecond: 32000 } : undefined
		);
		this.rec.ondataavailable = (e) => {
			if (e.data.size === 0) return;
			this.queue.push({ index: this.next++, blob: e.data });
			this.emit();
			void this.pump();
		};
		this.stopped = new Promise((resolve) => (this.rec!.onstop = () => resolve()));
		this.startedAt = performance.now();
		this.rec.start(this.timesliceMs);
		if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
	}

	private onOnline = () => void this.pump();

	markBeat(beatId: string) {
		this.beats.push({ beatId, at: Math.round(performance.now() - this.startedAt) });
	}

	private async serverHas(): Promise<Set<number> | null> {
		try {
			const res = await fetch(`/recordings/${this.recordingId}`, { cache: 'no-store' });
			if (!res.ok) return null;
			return new Set((await res.json()).received as number[]);
		} catch {
			return null;
		}
	}

	private async pump() {
		if (this.pumping) return;
		this.pumping = true;
		let failures = 0;
		try {
			while (this.queue.length) {
				const item = this.queue[0];
				try {
					const res = await fetch(`/recordings/${this.recordingId}/chunks/${item.index}`, {
						method: 'PUT',
						headers: { 'content-type': 'application/octet-stream' },
						body: item.blob
					});
					if (res.ok) {
						const body = await res.json();
						this.queue.shift();
						this.state = {
							...this.state,
							uploaded: this.state.uploaded + 1,
							bytes: body.bytes,
							offline: false,
							error: null
						};
						failures = 0;
						this.emit();
						continue;
					}
					const body = await res.json().catch(() => ({}));
					if (res.status >= 400 && res.status < 500) {
						// Refused by the server (type, size, closed): retrying will not help.
						this.state = { ...this.state, error: body.error ?? `HTTP ${res.status}` };
						this.emit();
						return;
					}
					throw new Error(`HTTP ${res.status}`);
				} catch {
					failures++;
					this.state = { ...this.state, offline: true };
					this.emit();
					await sleep(Math.min(5000, 500 * failures));
					// Back online? Skip what the server already holds (a reply lost on the way).
					const has = await this.serverHas();
					if (has) {
						this.queue = this.queue.filter((q) => !has.has(q.index));
						this.state = { ...this.state, uploaded: has.size, offline: false };
						this.emit();
					}
				}
			}
		} finally {
			this.pumping = false;
		}
	}

	/** Stops recording, waits for every chunk to reach the server, then finishes the recording. */
	async finish(): Promise<{ durationMs: number; bytes: number }> {
		if (this.rec && this.rec.state !== 'inactive') this.rec.stop();
		await this.stopped;
		await sleep(50);
		for (;;) {
			await this.pump();
			if (this.state.error) throw new Error(this.state.error);
			if (!this.queue.length) break;
			await sleep(500);
		}
		if (typeof window !== 'undefined') window.removeEventListener('online', this.onOnline);
		for (let i = 0; ; i++) {
			try {
				const res = await fetch(`/recordings/${this.recordingId}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ count: this.next, beats: this.beats })
				});
				const body = await res.json();
				if (!res.ok)
					throw Object.assign(new Error(body.error ?? 'error'), { final: res.status < 500 });
				return body;
			} catch (e) {
				if ((e as { final?: boolean }).final || i > 20) throw e;
				await sleep(1000);
			}
		}
	}
}
