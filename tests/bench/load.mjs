// Exam-day load generator: a separate process that drives the app's real HTTP endpoints the way
// the browser does, open-loop at fixed arrival rates (latency counted from the intended send
// time), on 127.0.0.1 only, bounded in time. Started by run.mjs with a JSON config:
//   node tests/bench/load.mjs exam <config.json>    M2 start burst → M1 autosave + M5 pages → probe → M4 submit
//   node tests/bench/load.mjs probe <config.json>   max-throughput probe of a floor server (F2/F3)
// With an IPC channel (run.mjs forks it) it pauses at checkpoints so the runner can check the
// database between phases.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
	attemptPathOf,
	BROWSER_ACCEPT_ENCODING,
	clientStats,
	decodedBody,
	canonical,
	constantRate,
	makeAgent,
	openLoop,
	outcomeOf,
	probeMaxRate,
	Recorder,
	request,
	rng,
	round,
	sleep,
	treeCpuMs,
	childCpuMs
} from './lib.mjs';

const [mode, configPath] = process.argv.slice(2);
const cfg = JSON.parse(readFileSync(configPath, 'utf8'));
const log = (...a) => console.log('[load]', ...a);
const random = rng(cfg.seed ?? 20260301);
const pick = (arr) => arr[Math.floor(random() * arr.length)];
const ORIGIN = `http://127.0.0.1:${cfg.port}`;

/** Waits for the runner to say "continue" after a checkpoint (no-op without IPC). */
function checkpoint(name, data) {
	if (!process.send) return Promise.resolve();
	return new Promise((resolve) => {
		const onMessage = (m) => {
			if (m?.type === 'continue' && m.name === name) {
				process.off('message', onMessage);
				resolve(m);
			}
		};
		process.on('message', onMessage);
		process.send({ type: 'checkpoint', name, ...data });
	});
}

// ───────────────────────────── the exam page as the browser sees it ─────────────────────────────

const decodeEntities = (s) =>
	s
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');

function attrs(tag) {
	const out = {};
	for (const m of tag.matchAll(/([\w:-]+)(?:=(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g))
		out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
	return out;
}

// Every paper is a shuffle of one bank, and what an answer needs (ids, option values) does not
// depend on the order: each item is parsed once, since this process shares the server's cores.
const parsedItems = new Map();

/** The served items from the attempt page HTML: `data-item` fieldsets and their inputs. */
export function parseItems(html) {
	const items = [];
	for (const m of html.matchAll(/<fieldset\b[^>]*\bdata-item="([^"]+)"/g)) {
		const id = decodeEntities(m[1]);
		let item = parsedItems.get(id);
		if (!item) {
			const end = html.indexOf('</fieldset>', m.index);
			item = parseItem(id, html.slice(m.index + m[0].length, end < 0 ? undefined : end));
			if (!item) continue;
			parsedItems.set(id, item);
		}
		items.push(item);
	}
	return items;
}

function parseItem(id, body) {
	const name = `r.${id}`;
	const inputs = [...body.matchAll(/<input\b[^>]*>/g)].map((x) => attrs(x[0]));
	const selects = [...body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)].map((x) => ({
		...attrs(x[1]),
		options: [...x[2].matchAll(/<option\b[^>]*>/g)]
			.map((o) => attrs(o[0]).value ?? '')
			.filter((v) => v !== '')
	}));
	const radios = inputs.filter((i) => i.type === 'radio' && i.name === name).map((i) => i.value);
	const boxes = inputs.filter((i) => i.type === 'checkbox' && i.name === name).map((i) => i.value);
	const blanks = inputs.filter(
		(i) => i.name?.startsWith(`${name}.`) && (!i.type || i.type === 'text')
	);
	if (radios.length && radios.every((v) => v === 'true' || v === 'false'))
		return { id, type: 'truefalse' };
	else if (radios.length) return { id, type: 'single', options: radios };
	else if (boxes.length) return { id, type: 'multiple', options: boxes };
	else if (blanks.length) return { id, type: 'fill', blanks: blanks.length };
	else if (selects.length) {
		const keys = selects.map((s) => s.name.slice(name.length + 1));
		const numeric = selects.every(
			(s) => s.options.length === selects.length && s.options.every((v, i) => v === String(i + 1))
		);
		if (numeric) return { id, type: 'ordering', steps: keys };
		else return { id, type: 'matching', left: keys, right: selects[0].options };
	} else if (
		new RegExp(`<textarea\\b[^>]*name="${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).test(body)
	)
		return { id, type: 'short' };
	return null;
}

/** A new answer valid for the item's type, as the page's answerFromForm would produce it. */
function newAnswer(item, k, seq) {
	switch (item.type) {
		case 'single':
			return pick(item.options);
		case 'multiple': {
			const chosen = item.options.filter(() => random() < 0.5);
			return chosen.length ? chosen : [item.options[0]];
		}
		case 'truefalse':
			return random() < 0.5;
		case 'fill':
			return Array.from({ length: item.blanks }, (_, i) => `答案${k}-${seq}-${i}`);
		case 'matching':
			return Object.fromEntries(item.left.map((l) => [l, pick(item.right)]));
		case 'ordering':
			return [...item.steps].sort(() => random() - 0.5);
		case 'short':
			return `学员${k}第${seq}次作答：先安抚客户情绪，复述问题并确认，然后说明处理时限和回访安排，最后礼貌结束通话。`.repeat(
				1 + (seq % 3)
			);
	}
}

/** The exam form as the browser submits it (URL-encoded, every input of every item). */
function formBody(items, current) {
	const p = new URLSearchParams();
	for (const item of items) {
		const v = current.get(item.id)?.value ?? null;
		const name = `r.${item.id}`;
		switch (item.type) {
			case 'single':
			case 'short':
				if (v !== null) p.append(name, v);
				else if (item.type === 'short') p.append(name, '');
				break;
			case 'truefalse':
				if (v !== null) p.append(name, String(v));
				break;
			case 'multiple':
				for (const o of v ?? []) p.append(name, o);
				break;
			case 'fill':
				for (let i = 0; i < item.blanks; i++) p.append(`${name}.${i}`, v?.[i] ?? '');
				break;
			case 'matching':
				for (const l of item.left) p.append(`${name}.${l}`, v?.[l] ?? '');
				break;
			case 'ordering':
				for (const s of item.steps) p.append(`${name}.${s}`, v ? String(v.indexOf(s) + 1) : '');
				break;
		}
	}
	return p.toString();
}

// ───────────────────────────── exam-day scenario ─────────────────────────────

/** CPU (ms) of the app server and of PostgreSQL since `from`, per request when `requests` given. */
// The load generator runs on the same cores: its own CPU is reported too.
const cpuNow = () => {
	const [server, db] = treeCpuMs([cfg.serverPid ?? -1, cfg.postmasterPid ?? -1]);
	const own = process.cpuUsage();
	const workers = childCpuMs(cfg.serverPid ?? -1);
	return { server, db, load: (own.user + own.system) / 1000, workers };
};
const busiestShare = (from, now) => {
	const used = [...now].map(([pid, ms]) => ms - (from.get(pid) ?? ms));
	const total = used.reduce((a, b) => a + b, 0);
	return total > 0 ? round(Math.max(...used) / total, 2) : null;
};
const cpuSince = (from, requests) => {
	const now = cpuNow();
	const server = now.server - from.server;
	const db = now.db - from.db;
	return {
		serverCpuMs: round(server, 0),
		dbCpuMs: round(db, 0),
		loadGeneratorCpuMs: round(now.load - from.load, 0),
		// Several workers share the port but not the work evenly: the busiest one's share shows
		// how uneven (0.5 is even for two).
		...(now.workers.size > 1
			? { busiestWorkerShare: busiestShare(from.workers, now.workers) }
			: {}),
		...(requests
			? {
					serverCpuMsPerRequest: round(server / requests, 2),
					dbCpuMsPerRequest: round(db / requests, 2),
					loadGeneratorCpuMsPerRequest: round((now.load - from.load) / requests, 2)
				}
			: {})
	};
};

async function exam() {
	const seed = JSON.parse(readFileSync(cfg.seedFile, 'utf8'));
	const trainees = seed.trainees.slice(0, cfg.n ?? seed.trainees.length).map((t, k) => ({
		...t,
		k,
		attemptId: null,
		items: [],
		current: new Map(),
		sent: new Map(),
		acked: new Map()
	}));
	const result = { config: { ...cfg }, phases: {} };
	const baseHeaders = (token) => ({
		cookie: `session=${token}`,
		'accept-encoding': BROWSER_ACCEPT_ENCODING,
		'user-agent': 'exam-bench/1'
	});
	// A form action posted the way SvelteKit's enhanced forms post it (JSON answer).
	const actionHeaders = (token) => ({
		...baseHeaders(token),
		origin: ORIGIN,
		'content-type': 'application/x-www-form-urlencoded',
		'x-sveltekit-action': 'true',
		accept: 'application/json'
	});

	// A JSON post as the exam script sends it (autosave, submission).
	const jsonHeaders = (token) => ({
		...baseHeaders(token),
		origin: ORIGIN,
		'content-type': 'application/json',
		accept: 'application/json'
	});

	// The start button: a plain form post, answered with the test itself.
	const startRequest = (token, decode = false) => ({
		method: 'POST',
		path: `/exams/${seed.examSlug}/start`,
		headers: {
			...baseHeaders(token),
			origin: ORIGIN,
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html'
		},
		body: '',
		decode
	});

	// ── warm-up: other trainees of the cohort take the test one after another ──
	const warm = seed.trainees.slice(trainees.length, trainees.length + (cfg.warmup ?? 0));
	if (warm.length) {
		const t0 = performance.now();
		let failed = 0;
		for (const t of warm) {
			// A browser of its own each: its connections reach either server process.
			const own = makeAgent();
			const page = await request(own, cfg.port, startRequest(t.token, true));
			const html = outcomeOf(page) === 'ok' ? page.body.toString() : '';
			const location = attemptPathOf(html);
			const items = location ? parseItems(html) : [];
			if (!items.length) {
				failed++;
				own.destroy();
				continue;
			}
			for (const [seq, item] of items.slice(0, 5).entries())
				await request(own, cfg.port, {
					method: 'POST',
					path: `${location}/responses`,
					headers: jsonHeaders(t.token),
					body: JSON.stringify({
						itemId: item.id,
						value: newAnswer(item, 0, seq + 1),
						seq: seq + 1
					})
				});
			await request(own, cfg.port, {
				method: 'POST',
				path: `${location}/submission`,
				headers: jsonHeaders(t.token),
				body: '{}'
			});
			own.destroy();
		}
		log(
			`warm-up: ${warm.length} other trainees took the test one after another in ${round((performance.now() - t0) / 1000, 1)} s${failed ? ` (${failed} could not start)` : ''}`
		);
		result.warmup = { trainees: warm.length, failed };
	}

	// ── M0: the cohort opens the exam's page, where the start button is ──────────
	// A browser posts the start form from the page that shows it: before the test opens, every
	// trainee loads it (over lobbySeconds), then waits for the signal to start.
	if (cfg.lobbySeconds > 0) {
		const lobby = makeAgent();
		const lobbyRec = new Recorder('exam page (before the start)');
		const events = trainees
			.map((tr) => ({ t: random() * cfg.lobbySeconds * 1000, tr }))
			.sort((a, b) => a.t - b.t);
		log(`M0 the cohort opens the exam's page: ${trainees.length} over ${cfg.lobbySeconds} s`);
		const c0 = cpuNow();
		const m0 = await openLoop(events, async (ev) => {
			const r = await request(lobby, cfg.port, {
				path: `/exams/${seed.examSlug}`,
				headers: { ...baseHeaders(ev.tr.token), accept: 'text/html' }
			});
			const outcome = outcomeOf(r);
			lobbyRec.add(
				performance.now() - ev.intended,
				outcome,
				outcome === 'ok' ? undefined : `${r.status} ${r.error ?? ''}`
			);
		});
		lobby.destroy();
		result.phases.m0 = {
			examPage: lobbyRec.summary({ offered: round(trainees.length / cfg.lobbySeconds) }),
			...m0,
			cpu: cfg.serverPid ? cpuSince(c0, trainees.length) : undefined
		};
		log(`  exam page p95 ${result.phases.m0.examPage.p95} ms`);
	}

	// ── M2: start burst ─────────────────────────────────────────────────────────
	let agent = makeAgent();
	const startRec = new Recorder('start (answered with the test)');
	const startEvents = trainees
		.map((tr) => ({ t: random() * cfg.startSeconds * 1000, tr }))
		.sort((a, b) => a.t - b.t);
	let sampleHtml = null;
	const received = [];
	log(`M2 start burst: ${trainees.length} starts over ${cfg.startSeconds} s`);
	let cpu0 = cpuNow();
	const m2 = await openLoop(startEvents, async (ev) => {
		const page = await request(agent, cfg.port, startRequest(ev.tr.token));
		// Unpacking and reading the page is the browser's work, on the trainee's own machine:
		// done after the burst, so the load generator does not take it from the server's cores.
		received.push({ tr: ev.tr, page, totalMs: performance.now() - ev.intended });
	});
	const m2cpu = cfg.serverPid ? cpuSince(cpu0, trainees.length) : undefined;
	for (const { tr, page, totalMs } of received) {
		let outcome = outcomeOf(page);
		let html = '';
		try {
			if (page.body) html = decodedBody(page.headers, page.body).toString();
		} catch (e) {
			html = `(undecodable: ${e.message})`;
		}
		if (outcome === 'ok') {
			const location = attemptPathOf(html);
			const items = location ? parseItems(html) : [];
			if (items.length === 0) outcome = 'app';
			else {
				tr.attemptId = location.slice('/attempts/'.length);
				tr.items = items;
				sampleHtml ??= html;
			}
		}
		startRec.add(
			totalMs,
			outcome,
			outcome === 'ok' ? undefined : `${page.status} ${page.error ?? html.slice(0, 200)}`
		);
	}
	result.phases.m2 = {
		start: startRec.summary({ offered: round(trainees.length / cfg.startSeconds) }),
		...m2,
		cpu: m2cpu
	};
	const active = trainees.filter((t) => t.attemptId);
	log(
		`  ${active.length}/${trainees.length} attempts open; start p95 ${result.phases.m2.start.p95} ms`
	);
	if (sampleHtml) {
		const types = {};
		for (const i of active[0].items) types[i.type] = (types[i.type] ?? 0) + 1;
		result.itemsPerAttempt = { total: active[0].items.length, byType: types };
	}
	agent.destroy();

	// ── exam page JavaScript ────────────────────────────────────────────────────
	if (sampleHtml) {
		writeFileSync(cfg.outFile.replace(/\.json$/, '.exam-page.html'), sampleHtml);
		result.bundle = await bundleSize(sampleHtml, active[0].token);
	}
	if (result.bundle)
		log(
			`  exam page JS: ${result.bundle.files} files, ${result.bundle.gzipBytes} B gzip (${result.bundle.rawBytes} B raw)`
		);
	if (!active.length) {
		writeFileSync(cfg.outFile, JSON.stringify(result, null, 1));
		throw new Error('no attempt could be started: see the start errors');
	}

	// ── one autosave, exactly as src/lib/exam-autosave.ts sends it ─────────────
	const save = async (tr, rec, intended) => {
		const item = pick(tr.items);
		const seq = (tr.sent.get(item.id)?.at(-1)?.seq ?? 0) + 1;
		const value = newAnswer(item, tr.k, seq);
		const list = tr.sent.get(item.id) ?? [];
		list.push({ seq, value });
		tr.sent.set(item.id, list);
		tr.current.set(item.id, { seq, value });
		const r = await request(agent, cfg.port, {
			method: 'POST',
			path: `/attempts/${tr.attemptId}/responses`,
			headers: jsonHeaders(tr.token),
			body: JSON.stringify({ itemId: item.id, value, seq }),
			decode: true
		});
		const done = performance.now();
		let outcome = outcomeOf(r);
		if (outcome === 'ok') {
			try {
				const j = JSON.parse(r.body.toString());
				if (j.status === 'saved' || j.status === 'stale') {
					const acked = Math.max(tr.acked.get(item.id) ?? 0, seq);
					tr.acked.set(item.id, acked);
					// Values older than the acknowledged one can no longer be what the server holds:
					// the check needs only the rest, and the list stays short however long the run.
					while (list[0].seq < acked) list.shift();
				} else outcome = 'app';
			} catch {
				outcome = 'app';
			}
		}
		rec?.add(
			done - intended,
			outcome,
			outcome === 'ok' ? undefined : `${r.status} ${r.error ?? r.body.toString().slice(0, 200)}`
		);
		return outcome;
	};

	// ── unloaded cost of each request type, one at a time on an idle server ───
	agent = makeAgent();
	const teacherPathReal = cfg.teacherPath.replace('<cohortId>', seed.cohortId);
	const unit = async (name, n, fire) => {
		const lat = [];
		const c0 = cpuNow();
		let errors = 0;
		for (let i = 0; i < n; i++) {
			const t = performance.now();
			if ((await fire(i)) !== 'ok') errors++;
			lat.push(performance.now() - t);
		}
		lat.sort((a, b) => a - b);
		return {
			name,
			n,
			medianMs: round(lat[Math.floor(n / 2)]),
			maxMs: round(lat.at(-1)),
			errors,
			...(cfg.serverPid ? cpuSince(c0, n) : {})
		};
	};
	const get = (token, path) => async () =>
		outcomeOf(
			await request(agent, cfg.port, {
				path,
				headers: { ...baseHeaders(token), accept: 'text/html' },
				timeoutMs: 60_000
			})
		);
	result.unloaded = [
		await unit('autosave', 30, () => save(pick(active), null, performance.now())),
		await unit('attempt page (GET)', 5, (i) =>
			get(active[i % active.length].token, `/attempts/${active[i % active.length].attemptId}`)()
		),
		await unit(
			`teacher ${teacherPathReal.replace(seed.cohortId, '<id>')}`,
			3,
			get(seed.teacher.token, teacherPathReal)
		),
		await unit(`HR ${cfg.hrPath}`, 3, get(seed.hr.token, cfg.hrPath))
	];
	for (const u of result.unloaded)
		log(
			`  unloaded ${u.name}: median ${u.medianMs} ms, server CPU ${u.serverCpuMsPerRequest ?? '?'} ms, PostgreSQL CPU ${u.dbCpuMsPerRequest ?? '?'} ms per request`
		);
	agent.destroy();

	// ── M1 autosave + M5 staff pages ───────────────────────────────────────────
	agent = makeAgent();
	cpu0 = cpuNow();
	const saveRec = new Recorder('autosave');
	const saveEvents = [];
	const horizon = cfg.m1Seconds * 1000;
	for (const tr of active) {
		// Every 5 s with ±20 % jitter, first save at a random point of the first interval.
		for (
			let t = random() * cfg.saveIntervalMs;
			t < horizon;
			t += cfg.saveIntervalMs * (0.8 + 0.4 * random())
		)
			saveEvents.push({ t, tr });
	}
	saveEvents.sort((a, b) => a.t - b.t);
	const pageLoop = (who, token, path) => {
		const rec = new Recorder(`${who} ${path}`);
		const events = constantRate(cfg.pageRate, cfg.m1Seconds);
		return {
			rec,
			run: openLoop(events, async (ev) => {
				const r = await request(agent, cfg.port, {
					path,
					headers: { ...baseHeaders(token), accept: 'text/html' }
				});
				rec.add(performance.now() - ev.intended, outcomeOf(r), `${r.status} ${r.error ?? ''}`);
				rec.bytes = r.bytes;
			})
		};
	};
	const teacher = pageLoop(
		'teacher',
		seed.teacher.token,
		cfg.teacherPath.replace('<cohortId>', seed.cohortId)
	);
	const hr = pageLoop('hr', seed.hr.token, cfg.hrPath);
	log(
		`M1 autosave: ${saveEvents.length} saves over ${cfg.m1Seconds} s (${round(saveEvents.length / cfg.m1Seconds)}/s) + M5 pages at ${cfg.pageRate}/s each`
	);
	const [m1] = await Promise.all([
		openLoop(saveEvents, (ev) => save(ev.tr, saveRec, ev.intended)),
		teacher.run,
		hr.run
	]);
	result.phases.m1 = {
		autosave: saveRec.summary({
			offered: round(saveEvents.length / cfg.m1Seconds),
			achieved: round(saveRec.count / m1.wallSeconds),
			...m1
		}),
		cpu: cfg.serverPid ? cpuSince(cpu0) : undefined
	};
	result.phases.m5 = {
		teacher: teacher.rec.summary({
			path: cfg.teacherPath.replace('<cohortId>', seed.cohortId),
			bytes: teacher.rec.bytes
		}),
		hr: hr.rec.summary({ path: cfg.hrPath, bytes: hr.rec.bytes })
	};
	const s1 = result.phases.m1.autosave;
	log(
		`  autosave p50 ${s1.p50} p95 ${s1.p95} p99 ${s1.p99} ms, errors ${s1.errors}; teacher p95 ${result.phases.m5.teacher.p95} ms; HR p95 ${result.phases.m5.hr.p95} ms`
	);
	agent.destroy();

	// ── maximum sustainable autosave rate ──────────────────────────────────────
	if (cfg.probe) {
		agent = makeAgent();
		log('max-throughput probe (autosave endpoint)');
		result.probe = await probeMaxRate({
			label: 'app autosave',
			fireOne: () => save(pick(active), null, performance.now()),
			stepSeconds: cfg.probeStepSeconds,
			p99Ms: cfg.probeP99Ms,
			budgetSeconds: cfg.probeBudgetSeconds,
			cpuPids: { server: cfg.serverPid, postgres: cfg.postmasterPid },
			log
		});
		agent.destroy();
	}

	// ── checkpoint: every acknowledged save must be in the database ────────────
	const expectation = () =>
		active.map((tr) => ({
			attemptId: tr.attemptId,
			userId: tr.id,
			submitAcknowledged: tr.submitted ?? false,
			items: Object.fromEntries(
				[...tr.sent.entries()].map(([itemId, list]) => {
					const ackSeq = tr.acked.get(itemId) ?? 0;
					// Values the server may legitimately hold: the acknowledged one or any later one sent.
					const allowed = list
						.filter((x) => x.seq >= ackSeq)
						.map((x) => ({ seq: x.seq, value: canonical(x.value) }));
					return [itemId, { ackSeq, allowed, final: canonical(tr.current.get(itemId).value) }];
				})
			)
		}));
	writeFileSync(
		cfg.expectFile,
		JSON.stringify({ started: trainees.length, attempts: expectation() })
	);
	const verdict = await checkpoint('autosaved', { expectFile: cfg.expectFile });
	result.autosaveCheck = verdict?.check ?? null;

	// ── M4: submit burst ────────────────────────────────────────────────────────
	agent = makeAgent();
	const submitRec = new Recorder('submit');
	const submitEvents = active
		.map((tr) => ({ t: random() * cfg.submitSeconds * 1000, tr }))
		.sort((a, b) => a.t - b.t);
	log(`M4 submit burst: ${submitEvents.length} submits over ${cfg.submitSeconds} s`);
	cpu0 = cpuNow();
	const m4 = await openLoop(submitEvents, async (ev) => {
		const tr = ev.tr;
		// As the exam script submits: once every answer is acknowledged (the rule after M1), a
		// JSON request without answers; otherwise the whole form to the `?/submit` action.
		const allAcked = [...tr.current].every(([id, c]) => (tr.acked.get(id) ?? 0) >= c.seq);
		const r = await request(
			agent,
			cfg.port,
			allAcked
				? {
						method: 'POST',
						path: `/attempts/${tr.attemptId}/submission`,
						headers: jsonHeaders(tr.token),
						body: '{}',
						decode: true
					}
				: {
						method: 'POST',
						path: `/attempts/${tr.attemptId}?/submit`,
						headers: actionHeaders(tr.token),
						body: formBody(tr.items, tr.current),
						decode: true
					}
		);
		let outcome = outcomeOf(r);
		if (outcome === 'ok') {
			try {
				const j = JSON.parse(r.body.toString());
				if (allAcked ? j.status !== 'submitted' : j.type !== 'success') outcome = 'app';
			} catch {
				outcome = 'app';
			}
		}
		tr.submitted = outcome === 'ok';
		submitRec.add(
			performance.now() - ev.intended,
			outcome,
			outcome === 'ok' ? undefined : `${r.status} ${r.error ?? r.body.toString().slice(0, 200)}`
		);
	});
	result.phases.m4 = {
		submit: submitRec.summary({ offered: round(submitEvents.length / cfg.submitSeconds), ...m4 }),
		cpu: cfg.serverPid ? cpuSince(cpu0, submitEvents.length) : undefined
	};
	log(
		`  submit p50 ${result.phases.m4.submit.p50} p95 ${result.phases.m4.submit.p95} p99 ${result.phases.m4.submit.p99} ms, errors ${result.phases.m4.submit.errors}`
	);
	agent.destroy();

	writeFileSync(
		cfg.expectFile,
		JSON.stringify({ started: trainees.length, attempts: expectation() })
	);
	result.reusedSocketRetries = clientStats.reusedSocketRetries;
	log(
		`  requests sent again after a kept-alive socket was reset: ${clientStats.reusedSocketRetries}`
	);
	writeFileSync(cfg.outFile, JSON.stringify(result, null, 1));
}

/** Every script the exam page loads: its `<script src>` elements, its modulepreload links and
 *  inline imports under /_app/, the route nodes it hydrates (`node_ids` of kit.start, which
 *  app.js imports dynamically), then the static imports of all those chunks; each fetched as the
 *  browser would (gzip accepted). */
async function bundleSize(html, token) {
	const agent = makeAgent();
	const queue = [
		...new Set([
			...[...html.matchAll(/\/_app\/[^"'\s)]+?\.js/g)].map((m) => m[0]),
			...[...html.matchAll(/<script\b[^>]*\ssrc="(\/[^"]+)"/g)].map((m) => m[1])
		])
	];
	const nodeIds = (/node_ids:\s*\[([\d,\s]*)\]/.exec(html)?.[1] ?? '')
		.split(',')
		.map((x) => x.trim())
		.filter(Boolean);
	const seen = new Set(queue);
	const files = [];
	while (queue.length) {
		const path = queue.shift();
		const r = await request(agent, cfg.port, {
			path,
			headers: { 'accept-encoding': 'gzip', cookie: `session=${token}` },
			decode: true
		});
		if (r.status !== 200) {
			files.push({ path, status: r.status });
			continue;
		}
		const gz = r.headers['content-encoding'] === 'gzip' ? r.bytes : gzipSync(r.body).length;
		files.push({
			path,
			rawBytes: r.body.length,
			gzipBytes: gz,
			servedGzip: r.headers['content-encoding'] === 'gzip'
		});
		const text = r.body.toString();
		const refs = [...text.matchAll(/(?:from\s*|import\s*)["'](\.{1,2}\/[^"']+\.js)["']/g)].map(
			(m) => m[1]
		);
		if (/\/entry\/app\.[^/]+\.js$/.test(path))
			for (const id of nodeIds) {
				const node = new RegExp(`["'](\\.{1,2}/nodes/${id}\\.[\\w-]+\\.js)["']`).exec(text)?.[1];
				if (node) refs.push(node);
			}
		for (const ref of refs) {
			const next = new URL(ref, `http://x${path}`).pathname;
			if (!seen.has(next)) {
				seen.add(next);
				queue.push(next);
			}
		}
	}
	agent.destroy();
	const css = [...new Set([...html.matchAll(/\/_app\/[^"'\s)]+?\.css/g)].map((m) => m[0]))];
	let cssGzip = 0;
	const a2 = makeAgent();
	for (const path of css) {
		const r = await request(a2, cfg.port, {
			path,
			headers: { 'accept-encoding': 'gzip' },
			decode: true
		});
		if (r.status === 200)
			cssGzip += r.headers['content-encoding'] === 'gzip' ? r.bytes : gzipSync(r.body).length;
	}
	a2.destroy();
	const ok = files.filter((f) => f.gzipBytes !== undefined);
	return {
		files: ok.length,
		missing: files.filter((f) => f.gzipBytes === undefined).length,
		gzipBytes: ok.reduce((n, f) => n + f.gzipBytes, 0),
		rawBytes: ok.reduce((n, f) => n + f.rawBytes, 0),
		allServedGzip: ok.every((f) => f.servedGzip),
		cssGzipBytes: cssGzip,
		htmlBytes: Buffer.byteLength(html),
		largest: [...ok]
			.sort((a, b) => b.gzipBytes - a.gzipBytes)
			.slice(0, 12)
			.map((f) => ({ path: f.path, gzipBytes: f.gzipBytes }))
	};
}

// ───────────────────────────── floors ─────────────────────────────

async function probe() {
	const agent = makeAgent();
	const random2 = rng(7);
	const seqs = new Map();
	const fireOne = async () => {
		let r;
		if (cfg.kind === 'hello') r = await request(agent, cfg.port, { path: '/' });
		else {
			const a = Math.floor(random2() * cfg.attempts);
			const itemId = `item-${Math.floor(random2() * 48)}`;
			const key = `${a}/${itemId}`;
			const seq = (seqs.get(key) ?? 0) + 1;
			seqs.set(key, seq);
			const attemptId = `00000000-0000-4000-8000-${String(a).padStart(12, '0')}`;
			r = await request(agent, cfg.port, {
				method: 'POST',
				path: `/attempts/${attemptId}/responses`,
				headers: { 'content-type': 'application/json', cookie: 'session=floor', origin: ORIGIN },
				body: JSON.stringify({ itemId, value: `答案-${seq}`, seq })
			});
		}
		return outcomeOf(r);
	};
	const res = await probeMaxRate({
		label: cfg.label,
		fireOne,
		stepSeconds: cfg.probeStepSeconds,
		p99Ms: cfg.probeP99Ms,
		budgetSeconds: cfg.probeBudgetSeconds,
		cpuPids: { server: cfg.serverPid, postgres: cfg.postmasterPid },
		log
	});
	agent.destroy();
	writeFileSync(cfg.outFile, JSON.stringify(res, null, 1));
}

const main = mode === 'exam' ? exam : mode === 'probe' ? probe : null;
if (!main) {
	console.error('usage: load.mjs exam|probe <config.json>');
	process.exit(2);
}
const watchdog = setTimeout(
	() => {
		console.error(`[load] watchdog: still running after ${cfg.maxSeconds ?? 900} s, giving up`);
		process.exit(3);
	},
	(cfg.maxSeconds ?? 900) * 1000
);
watchdog.unref();
main()
	.then(async () => {
		await sleep(10);
		process.exit(0);
	})
	.catch((e) => {
		console.error('[load] failed:', e);
		process.exit(1);
	});
