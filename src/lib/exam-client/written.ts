// Progressive enhancement of the written test's server-rendered form (the page ships no
// framework): every change is autosaved, the header shows the answered count, the save status
// and the countdown, and submitting asks first and sends what is pending. Without this script
// the same form still works: its `?/save` and `?/submit` store the whole form.
import { clearExamDrafts } from '../exam-autosave';
import { answerFromForm, applyAnswer, itemIdOfInput, type FormItem } from '../exam-form';
import {
	ExamSession,
	STATUS_CLASS,
	formatClock,
	storagePrefix,
	type ExamTexts,
	type StatusKey
} from './session';

/** Rendered by the server into the page's `data-exam-client` JSON block. */
export type WrittenConfig =
	| {
			open: true;
			attemptId: string;
			userId: string;
			deadlineAt: string;
			serverNow: string;
			seqs: Record<string, number>;
			items: FormItem[];
			texts: ExamTexts;
	  }
	/** Submitted: only the answers kept on this computer are to be wiped. */
	| { open: false; attemptId: string; userId: string };

export function enhanceWrittenTest(config: WrittenConfig) {
	// The start answers with the test itself (one round trip while a whole cohort starts): the
	// address bar gets the attempt's own address, so that reloading reads it, not posts again.
	const own = `/attempts/${config.attemptId}`;
	if (location.pathname !== own) history.replaceState(history.state, '', own);
	if (!config.open) {
		clearExamDrafts(storagePrefix(config.userId, config.attemptId));
		return;
	}
	const form = document.querySelector<HTMLFormElement>('form[data-exam-form]');
	const statusEl = document.querySelector<HTMLElement>('[data-testid="save-status"]');
	const clockEl = document.querySelector<HTMLElement>('[data-testid="clock"]');
	const answeredEl = document.querySelector<HTMLElement>('[data-answered]');
	const submitButton = form?.querySelector<HTMLButtonElement>('button[data-submit]');
	if (!form || !statusEl || !clockEl || !answeredEl || !submitButton) return;
	const { items, texts } = config;
	const byId = new Map(items.map((i) => [i.id, i]));

	let shown: StatusKey | null = null;
	const showStatus = (key: StatusKey) => {
		if (key === shown) return;
		shown = key;
		const span = document.createElement('span');
		span.className = STATUS_CLASS[key];
		span.textContent = texts[key];
		statusEl.replaceChildren(span);
	};
	let answered = 0;
	const countAnswered = () => {
		const fd = new FormData(form);
		answered = items.filter((i) => answerFromForm(i, fd) !== null).length;
		answeredEl.textContent = `${answered} / ${items.length}`;
	};

	const session = new ExamSession({
		...config,
		onStatus: showStatus,
		onTick: (left) => (clockEl.textContent = formatClock(left)),
		onDeadline: () => submitButton.click()
	});
	for (const [itemId, value] of session.restore()) {
		const item = byId.get(itemId);
		if (item) applyAnswer(form, item, value as never);
	}
	countAnswered();
	session.start();

	const onChange = (e: Event) => {
		const target = e.target as HTMLInputElement;
		const item = byId.get(itemIdOfInput(target.name ?? '') ?? '');
		if (!item) return;
		const typing = target.tagName === 'TEXTAREA' || target.type === 'text';
		session.change(item.id, answerFromForm(item, new FormData(form)), typing ? 800 : 200);
		countAnswered();
	};
	form.addEventListener('input', onChange);
	form.addEventListener('change', onChange);

	// Sign-out from this page (no framework here to run the layout's handler).
	document
		.querySelector('form[action="/logout"]')
		?.addEventListener('submit', () => clearExamDrafts());

	let busy = false;
	let letThrough = false;
	form.addEventListener('submit', async (e) => {
		if (letThrough) return; // a plain post, so the server renders its answer
		e.preventDefault();
		if (busy) return;
		const submitter = e.submitter instanceof HTMLButtonElement ? e.submitter : null;
		busy = true;
		try {
			// With the script every answer is already saved one by one: "save" only sends what waits.
			if (submitter !== submitButton) return void (await session.saver.flush());
			if (!(await session.beforeSubmit(items.length - answered))) return;
			const result = await submit(
				form,
				submitButton,
				config.attemptId,
				session.saver.unsaved === 0
			);
			if (result === 'network') {
				session.afterSubmit(false);
				return showStatus('offline');
			}
			if (result === 'done') {
				session.afterSubmit(true);
				location.replace(location.pathname);
				return;
			}
			// Refused: the server explains, in a page it renders.
			letThrough = true;
			form.requestSubmit(submitButton);
		} finally {
			busy = false;
		}
	});
}

/** Once every answer is acknowledged the submission carries none: a small JSON request (a whole
 *  cohort submits at the deadline). Otherwise the form, with every answer, goes to the submit
 *  action as SvelteKit's own form enhancement posts it. */
async function submit(
	form: HTMLFormElement,
	button: HTMLButtonElement,
	attemptId: string,
	allSaved: boolean
): Promise<'done' | 'refused' | 'network'> {
	try {
		if (allSaved) {
			const res = await fetch(`/attempts/${attemptId}/submission`, {
				method: 'POST',
				body: '{}',
				headers: { accept: 'application/json', 'content-type': 'application/json' }
			});
			return res.ok ? 'done' : 'refused';
		}
		const res = await fetch(button.formAction, {
			method: 'POST',
			body: new FormData(form),
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
		});
		const body = (await res.json().catch(() => ({}))) as { type?: string };
		return body.type === 'success' || body.type === 'redirect' ? 'done' : 'refused';
	} catch {
		return 'network';
	}
}
