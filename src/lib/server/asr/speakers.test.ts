import { describe, expect, it } from 'vitest';
import { resemblance, turnsFromSegments, type CustomerLine } from './speakers';

const seg = (start: number | null, end: number | null, text: string) => ({ start, end, text });

describe('speakers of a machine transcript', () => {
	it('self-paced: a segment heard inside a played clip is the customer’s, the rest the agent’s', () => {
		const lines: CustomerLine[] = [
			{ text: '我的账单多扣了三十五块', at: 3000, seconds: 2.5 },
			{ text: '那你们什么时候退给我', at: 9000, seconds: 2 },
			{ text: '那你们什么时候退给我', at: null, seconds: null }
		];
		const turns = turnsFromSegments(
			[
				seg(0, 1.5, '您好，星联通信'),
				seg(1.6, 2.8, '请问有什么可以帮您'),
				seg(3.1, 5.4, '我的账单多扣了35块'),
				seg(5.9, 8.5, '您是说账单多扣了35元，对吗？'),
				seg(9.2, 10.8, '那你们什么时候退给我'),
				seg(11.5, 12, '  '),
				seg(12, 13, '三个工作日内。')
			],
			lines
		);
		expect(turns).toEqual([
			{ speaker: 'agent', text: '您好，星联通信，请问有什么可以帮您', start: 0, end: 2.8 },
			{ speaker: 'customer', text: '我的账单多扣了35块', start: 3.1, end: 5.4 },
			{ speaker: 'agent', text: '您是说账单多扣了35元，对吗？', start: 5.9, end: 8.5 },
			{ speaker: 'customer', text: '那你们什么时候退给我', start: 9.2, end: 10.8 },
			{ speaker: 'agent', text: '三个工作日内。', start: 12, end: 13 }
		]);
	});

	it('without timings (examiner-led): a segment reading like a customer line is the customer’s', () => {
		const lines: CustomerLine[] = [
			{ text: '我家宽带从昨天晚上开始就上不了网了', at: null, seconds: null }
		];
		const turns = turnsFromSegments(
			[
				seg(0, 2, '您好，请问有什么可以帮您？'),
				seg(2, 5, '我家宽带从昨天晚上就上不了网了'),
				seg(5, 6, '好的'),
				seg(6, 9, '您是说宽带从昨天开始上不了网，对吗')
			],
			lines
		);
		expect(turns.map((t) => t.speaker)).toEqual(['agent', 'customer', 'agent']);
		expect(resemblance('我家宽带从昨天晚上就上不了网了', lines[0].text)).toBeGreaterThan(0.8);
		expect(resemblance('您是说宽带从昨天开始上不了网，对吗', lines[0].text)).toBeLessThan(0.6);
	});

	it('an untimed answer is one agent turn; nothing recognised is no turn', () => {
		expect(turnsFromSegments([seg(null, null, ' 您好 ')], [])).toEqual([
			{ speaker: 'agent', text: '您好', start: null, end: null }
		]);
		expect(turnsFromSegments([seg(0, 1, ''), seg(1, 2, ' ')], [])).toEqual([]);
	});
});
