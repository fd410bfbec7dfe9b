import { describe, it, expect } from 'vitest';
import {
	formatTimestamp,
	formatVtt,
	parsePlainTranscript,
	parseScript,
	parseTimestamp,
	parseVtt,
	TranscriptError
} from './vtt';

describe('timestamps', () => {
	it('parses hh:mm:ss.mmm and mm:ss.mmm', () => {
		expect(parseTimestamp('00:01:02.345')).toBe(62.345);
		expect(parseTimestamp('01:02.345')).toBe(62.345);
		expect(parseTimestamp('1:02:03.004')).toBeNull(); // hours need two digits
		expect(parseTimestamp('00:61:00.000')).toBeNull();
		expect(parseTimestamp('nonsense')).toBeNull();
	});

	it('formats to the millisecond and round-trips', () => {
		expect(formatTimestamp(0)).toBe('00:00:00.000');
		expect(formatTimestamp(3723.4567)).toBe('01:02:03.457');
		for (const s of [0.001, 4.3, 59.999, 61.5, 147.372]) {
			expect(parseTimestamp(formatTimestamp(s))).toBeCloseTo(s, 3);
		}
	});
});

describe('parseVtt', () => {
	const sample = [
		'WEBVTT',
		'',
		'1',
		'00:00:01.000 --> 00:00:04.500',
		'<v agent>您好，星联通信，工号 2047 为您服务。</v>',
		'',
		'2',
		'00:00:05.000 --> 00:00:07.250 align:start',
		'<v.loud customer>我的账单',
		'多了 &lt;35&gt; 元 &amp; 更多</v>',
		'',
		'00:00:08.000 --> 00:00:09.000',
		'<v 坐席>好的。',
		'',
		'NOTE 客户挂断',
		''
	].join('\n');

	it('reads turns with speakers, times and text', () => {
		const t = parseVtt(sample);
		expect(t.turns).toEqual([
			{
				line: 1,
				speaker: 'agent',
				text: '您好，星联通信，工号 2047 为您服务。',
				start: 1,
				end: 4.5
			},
			{ line: 2, speaker: 'customer', text: '我的账单多了 <35> 元 & 更多', start: 5, end: 7.25 },
			{ line: 3, speaker: 'agent', text: '好的。', start: 8, end: 9 }
		]);
		expect(t.hungUpFirst).toBe('customer');
	});

	it('ignores other NOTE, STYLE and REGION blocks and tolerates CRLF and a BOM', () => {
		const src =
			'\uFEFFWEBVTT - call\r\n\r\nNOTE recorded 2024\r\n\r\nSTYLE\r\n::cue {}\r\n\r\n00:01.000 --> 00:02.000\r\n<v customer>喂？\r\n';
		const t = parseVtt(src);
		expect(t.turns).toHaveLength(1);
		expect(t.turns[0]).toMatchObject({ speaker: 'customer', text: '喂？', start: 1, end: 2 });
		expect(t.hungUpFirst).toBeNull();
	});

	it('rejects a missing header, a bad timing and a cue without a voice', () => {
		expect(() => parseVtt('1\n00:00:01.000 --> 00:00:02.000\n<v agent>x')).toThrow(TranscriptError);
		expect(() => parseVtt('WEBVTT\n\n00:00:03.000 --> 00:00:02.000\n<v agent>x')).toThrow(/timing/);
		expect(() => parseVtt('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nno voice')).toThrow(/voice/);
		expect(() => parseVtt('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v narrator>x')).toThrow(
			/line 4/
		);
	});

	it('round-trips through formatVtt', () => {
		const t = parseVtt(sample);
		expect(parseVtt(formatVtt(t))).toEqual(t);
		expect(formatVtt(t)).toContain('<v customer>我的账单多了 &lt;35&gt; 元 &amp; 更多</v>');
	});
});

describe('parseScript', () => {
	it('reads turns and markers, numbering only the turns', () => {
		const items = parseScript(
			[
				'# 标题',
				'[振铃 2]',
				'坐席：您好。',
				'',
				'客户: 喂',
				'[打断]',
				'客服：请讲。',
				'[停顿 1.5]',
				'客户：好。',
				'[坐席挂断]'
			].join('\n'),
			10
		);
		expect(items.map((i) => i.kind)).toEqual([
			'ring',
			'turn',
			'turn',
			'interrupt',
			'turn',
			'pause',
			'turn',
			'hang-up'
		]);
		const turns = items.flatMap((i) => (i.kind === 'turn' ? [i.turn] : []));
		expect(turns.map((t) => [t.line, t.speaker, t.text])).toEqual([
			[1, 'agent', '您好。'],
			[2, 'customer', '喂'],
			[3, 'agent', '请讲。'],
			[4, 'customer', '好。']
		]);
		expect(items[0]).toMatchObject({ kind: 'ring', count: 2, sourceLine: 11 });
		expect(items[5]).toMatchObject({ kind: 'pause', seconds: 1.5 });
		expect(items[7]).toMatchObject({ kind: 'hang-up', by: 'agent' });
	});

	it('reports unknown lines and markers with their file line', () => {
		expect(() => parseScript('坐席：好\n旁白：什么', 5)).toThrow(/line 6/);
		expect(() => parseScript('[静音 2]')).toThrow(/unknown marker/);
		expect(() => parseScript('[振铃 1.5]')).toThrow(/unknown marker/);
		expect(() => parseScript('[客户挂断 3]')).toThrow(/unknown marker/);
	});

	it('turns plain text into an untimed transcript', () => {
		const t = parsePlainTranscript('坐席：您好\n客户：你好\n[客户挂断]\n[坐席挂断]');
		expect(t.turns.every((x) => x.start === null && x.end === null)).toBe(true);
		expect(t.hungUpFirst).toBe('customer');
		expect(() => formatVtt(t)).toThrow(/no timing/);
	});
});
