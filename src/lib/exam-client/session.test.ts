import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExamSession, formatClock, statusKey, type StatusKey } from './session';

const texts = {
	saved: '✓ 已保存',
	saving: '保存中…',
	offline: '网络已断开',
	closed: '考试时间已到',
	confirm: '确定交卷吗？',
	unanswered: '还有 {count} 题未作答。'
};

function memoryStorage() {
	const map = new Map<string, string>();
	return {
		get length() {
			return map.size;
		},
		key: (i: number) => [...map.keys()][i] ?? null,
		getItem: (k: string) => map.get(k) ?? null,
		setItem: (k: string, v: string) => void map.set(k, v),
		removeItem: (k: string) => void map.delete(k)
	};
}

describe('exam client glue', () => {
	it('formats the clock with hours only when there are some', () => {
		expect(formatClock(0)).toBe('00:00');
		expect(formatClock(-5000)).toBe('00:00');
		expect(formatClock(59_999)).toBe('00:59');
		expect(formatClock(65 * 60_000 + 9_000)).toBe('1:05:09');
	});

	it('says saving while answers wait, and offline or closed whatever waits', () => {
		expect(statusKey('saved', 0)).toBe('saved');
		expect(statusKey('saving', 2)).toBe('saving');
		expect(statusKey('saved', 1)).toBe('saving');
		expect(statusKey('offline', 0)).toBe('offline');
		expect(statusKey('closed', 3)).toBe('closed');
	});

	describe('session', () => {
		let statuses: StatusKey[];
		const posts: unknown[] = [];
		beforeEach(() => {
			vi.useFakeTimers();
			vi.setSystemTime(new Date('2026-03-01T09:00:00Z'));
			statuses = [];
			posts.length = 0;
			vi.stubGlobal('localStorage', memoryStorage());
			vi.stubGlobal('addEventListener', () => {});
			vi.stubGlobal('removeEventListener', () => {});
			vi.stubGlobal(
				'fetch',
				vi.fn(async (_url: string, init: { body: string }) => {
					posts.push(JSON.parse(init.body));
					// The server's clock: 10 minutes ahead of this computer's.
					const serverNow = new Date(Date.now() + 600_000).toISOString();
					return new Response(JSON.stringify({ status: 'saved', serverNow }));
				})
			);
		});
		afterEach(() => {
			vi.useRealTimers();
			vi.unstubAllGlobals();
		});

		// This computer's clock is 10 minutes behind the server's.
		const session = (onDeadline = () => {}) =>
			new ExamSession({
				attemptId: 'a1',
				userId: 'u1',
				deadlineAt: '2026-03-01T10:10:00Z',
				serverNow: '2026-03-01T09:10:00Z',
				seqs: { q1: 2 },
				texts,
				onStatus: (k) => statuses.push(k),
				onTick: () => {},
				onDeadline
			});

		it('counts down on the server clock and calls the deadline once', () => {
			const due = vi.fn();
			const s = session(due);
			expect(s.remaining()).toBe(60 * 60_000);
			const stop = s.start();
			vi.advanceTimersByTime(60 * 60_000 + 2_000);
			expect(due).toHaveBeenCalledTimes(1);
			stop();
		});

		it('sends the next sequence number and keeps the answer locally until acknowledged', async () => {
			const s = session();
			s.change('q1', 'b', 200);
			expect(localStorage.getItem('exam:u1:a1:q1')).toBe(JSON.stringify({ value: 'b', seq: 3 }));
			expect(statuses.at(-1)).toBe('saving');
			await vi.advanceTimersByTimeAsync(250);
			expect(posts).toEqual([{ itemId: 'q1', value: 'b', seq: 3 }]);
			expect(localStorage.getItem('exam:u1:a1:q1')).toBeNull();
			expect(statuses.at(-1)).toBe('saved');
		});

		it('asks before submitting, with the unanswered count, unless time is up', async () => {
			const ask = vi.fn(() => false);
			vi.stubGlobal('confirm', ask);
			const s = session();
			expect(await s.beforeSubmit(3)).toBe(false);
			expect(ask).toHaveBeenCalledWith('确定交卷吗？\n还有 3 题未作答。');
			ask.mockReturnValue(true);
			s.change('q2', 'x', 800);
			expect(await s.beforeSubmit(0)).toBe(true);
			expect(ask).toHaveBeenLastCalledWith('确定交卷吗？');
			expect(posts).toEqual([{ itemId: 'q2', value: 'x', seq: 1 }]); // flushed before submitting
			vi.setSystemTime(new Date('2026-03-01T10:01:00Z')); // 10:11 on the server: time is up
			ask.mockClear();
			expect(await s.beforeSubmit(5)).toBe(true);
			expect(ask).not.toHaveBeenCalled();
		});

		it('wipes the attempt from this computer after a successful submission only', () => {
			const s = session();
			vi.stubGlobal(
				'fetch',
				vi.fn(async () => {
					throw new TypeError('offline');
				})
			);
			s.change('q1', 'c', 200);
			s.afterSubmit(false);
			expect(localStorage.getItem('exam:u1:a1:q1')).not.toBeNull();
			s.afterSubmit(true);
			expect(localStorage.getItem('exam:u1:a1:q1')).toBeNull();
		});
	});
});
