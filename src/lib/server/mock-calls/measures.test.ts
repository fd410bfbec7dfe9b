import { describe, expect, it } from 'vitest';
import { callMeasures, measuresScore, shiftKpis } from './measures';

const key = { callType: 'special-complaint', mustCapture: [{ id: 'amount' }, { id: 'period' }] };
const ring = { ringSeconds: 3, maxRings: 3 };
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 9, 0, 0) + s * 1000).toISOString();

describe('call measures', () => {
	it('measures time to answer in rings, talk, wrap-up and handle time, classification and captured fields', () => {
		const m = callMeasures(
			{ offer: at(0), answer: at(7), hangup: at(127), wrapup: at(157) },
			{
				classification: 'special-complaint',
				captures: { amount: '240 元', period: ' ' },
				escalated: true
			},
			key,
			ring
		);
		expect(m).toMatchObject({
			timeToAnswerS: 7,
			rings: 3,
			answeredInTime: true,
			talkS: 120,
			wrapS: 30,
			handleS: 150,
			classificationCorrect: true,
			captured: 1,
			required: 2,
			captureRate: 0.5,
			escalationExpected: true,
			escalated: true
		});
	});
	it('a fourth ring is too late; a wrong class and a missed escalation count against the score', () => {
		const late = callMeasures(
			{ offer: at(0), answer: at(9.5), hangup: at(60), wrapup: at(70) },
			{ classification: 'general-complaint', captures: { amount: 'x', period: 'y' } },
			key,
			ring
		);
		expect(late.rings).toBe(4);
		expect(late.answeredInTime).toBe(false);
		expect(late.classificationCorrect).toBe(false);
		expect(measuresScore([late])).toBeCloseTo(1 / 3, 3);
	});
	it('garbage ticket input is cleaned, never trusted', () => {
		const m = callMeasures(
			{},
			{ classification: 42, captures: 'nope', escalated: 'yes' },
			key,
			null
		);
		expect(m).toMatchObject({
			classification: null,
			captured: 0,
			escalated: false,
			timeToAnswerS: null,
			answeredInTime: null
		});
	});
});

describe('shift KPIs', () => {
	it('averages, rates and trends across the calls of a shift', () => {
		const calls = [
			callMeasures(
				{ offer: at(0), answer: at(8), hangup: at(200), wrapup: at(260) },
				{ classification: 'special-complaint', captures: { amount: 'a' } },
				key,
				ring
			),
			callMeasures(
				{ offer: at(300), answer: at(304), hangup: at(440), wrapup: at(470) },
				{
					classification: 'special-complaint',
					captures: { amount: 'a', period: 'b' },
					escalated: true
				},
				key,
				ring
			),
			callMeasures(
				{ offer: at(500), answer: at(502), hangup: at(600), wrapup: at(620) },
				{ classification: 'consultation', captures: { amount: 'a', period: 'b' }, escalated: true },
				key,
				ring
			)
		];
		const k = shiftKpis(calls, [60, 70, 80]);
		expect(k.calls).toBe(3);
		expect(k.answeredInTimeRate).toBe(100);
		expect(k.avgTimeToAnswerS).toBe(4.7);
		expect(k.avgHandleS).toBe(Math.round(((252 + 166 + 118) / 3) * 10) / 10);
		expect(k.classificationAccuracy).toBe(66.7);
		expect(k.captureRate).toBe(83.3);
		expect(k.escalationsMissed).toBe(1);
		expect(k.trends).toEqual({
			timeToAnswer: 'improving',
			handle: 'improving',
			capture: 'improving',
			rubric: 'improving'
		});
		expect(shiftKpis([]).trends.handle).toBeNull();
	});
});
