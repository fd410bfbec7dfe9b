// Correctness checks of the exam-day benchmark, against the database itself.
// `query(text, params)` returns rows; works over postgres.js and PGlite alike.
import { readFileSync } from 'node:fs';
import { canonical } from './lib.mjs';

function loadExpectation(file) {
	return JSON.parse(readFileSync(file, 'utf8'));
}

async function responsesOf(query, attemptIds) {
	const rows = await query(
		'select attempt_id::text as attempt_id, item_id, value::text as value, seq from responses where attempt_id = any($1::uuid[])',
		[attemptIds]
	);
	const map = new Map();
	for (const r of rows)
		map.set(`${r.attempt_id}/${r.item_id}`, {
			seq: Number(r.seq),
			value: canonical(JSON.parse(r.value))
		});
	return map;
}

/** After the autosave phases, before submitting: every acknowledged save is stored, with the
 *  acknowledged value or a later one this client sent (never an older one). */
export async function checkAutosaves(query, expectFile) {
	const exp = loadExpectation(expectFile);
	const stored = await responsesOf(
		query,
		exp.attempts.map((a) => a.attemptId)
	);
	let acknowledged = 0;
	let lost = 0;
	let stale = 0;
	let unknown = 0;
	let sentItems = 0;
	const samples = [];
	for (const a of exp.attempts)
		for (const [itemId, e] of Object.entries(a.items)) {
			sentItems++;
			if (!e.ackSeq) continue;
			acknowledged++;
			const row = stored.get(`${a.attemptId}/${itemId}`);
			if (!row) {
				lost++;
				if (samples.length < 5)
					samples.push({ kind: 'lost', attemptId: a.attemptId, itemId, ackSeq: e.ackSeq });
				continue;
			}
			const match = e.allowed.find((x) => x.seq === row.seq);
			if (row.seq < e.ackSeq) stale++;
			else if (!match || match.value !== row.value) unknown++;
			else continue;
			if (samples.length < 5)
				samples.push({
					kind: row.seq < e.ackSeq ? 'stale' : 'mismatch',
					attemptId: a.attemptId,
					itemId,
					ackSeq: e.ackSeq,
					storedSeq: row.seq
				});
		}
	return {
		attempts: exp.attempts.length,
		itemsAnswered: sentItems,
		acknowledgedItems: acknowledged,
		lost,
		stale,
		mismatched: unknown,
		samples
	};
}

/** After the submit burst: one attempt per trainee, none left in progress, each submitted once
 *  (the submit is one conditional UPDATE from in_progress; its time and reason are on the row),
 *  stored answers equal to what the form submitted. */
export async function checkSubmitted(query, expectFile, traineeIds) {
	const exp = loadExpectation(expectFile);
	const attemptIds = exp.attempts.map((a) => a.attemptId);
	const perUser = await query(
		'select user_id::text as user_id, count(*)::int as n, sum(case when state = $2 then 1 else 0 end)::int as open from attempts where user_id = any($1::uuid[]) group by user_id',
		[traineeIds, 'in_progress']
	);
	const states = await query(
		'select state, count(*)::int as n from attempts where id = any($1::uuid[]) group by state',
		[attemptIds]
	);
	const [unsubmitted] = await query(
		'select count(*)::int as n from attempts where id = any($1::uuid[]) and (submitted_at is null or submit_reason is null)',
		[attemptIds]
	);
	const stored = await responsesOf(query, attemptIds);
	let lost = 0;
	let stale = 0;
	let itemsChecked = 0;
	const samples = [];
	// An acknowledged submit stored the form as sent; otherwise only acknowledged autosaves count.
	for (const a of exp.attempts)
		for (const [itemId, e] of Object.entries(a.items)) {
			const row = stored.get(`${a.attemptId}/${itemId}`);
			if (!a.submitAcknowledged && !e.ackSeq) continue;
			itemsChecked++;
			const ok = a.submitAcknowledged
				? row && row.value === e.final && row.seq >= e.ackSeq
				: row &&
					row.seq >= e.ackSeq &&
					e.allowed.some((x) => x.seq === row.seq && x.value === row.value);
			if (ok) continue;
			if (!row) lost++;
			else stale++;
			if (samples.length < 5)
				samples.push({
					kind: row ? 'stale' : 'lost',
					attemptId: a.attemptId,
					itemId,
					storedSeq: row?.seq,
					ackSeq: e.ackSeq,
					submitAcknowledged: a.submitAcknowledged
				});
		}
	const noAttempt = traineeIds.length - perUser.length;
	const submitFailed = exp.attempts.filter((a) => !a.submitAcknowledged).length;
	return {
		trainees: traineeIds.length,
		attempts: attemptIds.length,
		traineesWithoutAttempt: noAttempt,
		traineesWithSeveralAttempts: perUser.filter((r) => r.n > 1).length,
		stillInProgress: perUser.reduce((n, r) => n + r.open, 0),
		states: Object.fromEntries(states.map((r) => [r.state, r.n])),
		attemptsWithoutSubmission: unsubmitted.n,
		submitsNotAcknowledged: submitFailed,
		itemsChecked,
		lost,
		stale,
		samples
	};
}
