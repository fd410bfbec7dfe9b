import { describe, it, expect } from 'vitest';
import { checkTranscript, maskQuoted } from './check';
import { agent, RULES, turns } from './fixtures';
import type { CallType } from './rules';
import { parsePlainTranscript, type Turn } from './vtt';

/** `ruleId:match` for each forbidden hit in one agent turn. */
function forbidden(text: string): string[] {
	return checkTranscript(agent(text), RULES)
		.filter((h) => h.kind === 'forbidden')
		.map((h) => `${h.ruleId}:${h.match}`);
}

/** Ids of the missing required actions. */
function missing(input: Turn[] | string, callType: CallType = 'consultation'): string[] {
	const t = typeof input === 'string' ? parsePlainTranscript(input) : input;
	return checkTranscript(t, RULES, { callType })
		.filter((h) => h.kind === 'required-action')
		.map((h) => h.ruleId);
}

describe('forbidden: 你 instead of 您', () => {
	it('flags 你 and 你们 in the agent turn', () => {
		expect(forbidden('你的套餐是星享 59。')).toEqual(['ni-instead-of-nin:你']);
		expect(forbidden('你们家宽带断了多久？')).toEqual(['ni-instead-of-nin:你']);
		expect(forbidden('你好，星联通信。')).toEqual(['ni-instead-of-nin:你']);
	});

	it('does not flag 您 / 您好 (a different character), 迷你, or quoted customer words', () => {
		expect(forbidden('您好，您的套餐是星享 59。')).toEqual([]);
		expect(forbidden('这款迷你路由器很小巧。')).toEqual([]);
		expect(forbidden('您刚才说「你们乱扣费」，我理解您的心情。')).toEqual([]);
		expect(forbidden('您说的“你们不管”这句话，我记下了。')).toEqual([]);
	});

	it('never checks the customer', () => {
		const t = turns(
			['customer', '你们到底管不管？我不知道怎么办，不行就投诉。'],
			['agent', '您请说。']
		);
		expect(checkTranscript(t, RULES).filter((h) => h.kind === 'forbidden')).toEqual([]);
	});
});

describe('forbidden: flat refusals', () => {
	it('flags 没有办法, 没办法, 不行, 不可以', () => {
		expect(forbidden('这个没有办法。')).toEqual(['flat-refusal:没有办法']);
		expect(forbidden('那也没办法。')).toEqual(['flat-refusal:没办法']);
		expect(forbidden('不行，改不了。')).toEqual(['flat-refusal:不行']);
		expect(forbidden('不可以，拍照的不算。')).toEqual(['flat-refusal:不可以']);
	});

	it('does not flag 有没有办法, or 可不可以 / 行不行 in mid-sentence questions', () => {
		expect(forbidden('我帮您看看有没有办法提前安排。')).toEqual([]);
		expect(forbidden('请问可不可以提供一下机主姓名？')).toEqual([]);
	});
});

describe('forbidden: company policy', () => {
	it('flags 这是公司的规定 and 公司规定', () => {
		expect(forbidden('这是公司的规定。')).toEqual(['company-policy:公司的规定']);
		expect(forbidden('公司规定必须本人办理。')).toEqual(['company-policy:公司规定']);
	});

	it('does not flag an explained rule', () => {
		expect(forbidden('为了防止别人冒用您的号码，补卡需要机主本人到营业厅办理。')).toEqual([]);
	});
});

describe('forbidden: sentence-final particles', () => {
	it('flags 哦 / 呢 / 啊 at the end of a clause after other words', () => {
		expect(forbidden('您的流量用超了哦。')).toEqual(['final-o:哦']);
		expect(forbidden('您到底要办什么呢？')).toEqual(['final-ne:呢']);
		expect(forbidden('我也没说是您的问题啊，只是有可能。')).toEqual(['final-a:啊']);
		expect(forbidden('好的哦')).toEqual(['final-o:哦']); // end of turn counts as clause end
	});

	it('does not flag a sentence-initial interjection or a particle inside a clause', () => {
		expect(forbidden('哦，明白了。')).toEqual([]);
		expect(forbidden('啊，不好意思，我重新说一遍。')).toEqual([]);
		expect(forbidden('呢绒的材质我们不涉及。')).toEqual([]);
	});

	it('flags an interrogating 吗', () => {
		expect(forbidden('您没看短信吗？')).toEqual(['final-ma:吗']);
		expect(forbidden('您找媒体有什么用吗？')).toEqual(['final-ma:吗']);
		// a polite opener does not excuse a reproach in the same sentence
		expect(forbidden('请问您没收到提醒短信吗？')).toEqual(['final-ma:吗']);
	});

	it('does not flag 吗 in restating, confirming or caring questions', () => {
		expect(forbidden('您的问题主要是这个月多扣了二十元，对吗？')).toEqual([]);
		expect(forbidden('我跟您确认一下，您是想今天就生效吗？')).toEqual([]);
		expect(forbidden('请问还有其他需要帮您的吗？')).toEqual([]);
		expect(forbidden('请问现在方便接听吗？')).toEqual([]);
		expect(forbidden('您对这次的处理还满意吗？')).toEqual([]);
		expect(forbidden('喂，是周女士吗？')).toEqual([]);
	});
});

describe('forbidden: tag questions', () => {
	it('flags 好不好？ / 可不可以？ / 行不行？ at clause end', () => {
		expect(forbidden('先这样，好不好？')).toEqual(['tag-hao-bu-hao:好不好']);
		expect(forbidden('您明天再打来，可不可以？')).toEqual(['tag-hao-bu-hao:可不可以']);
		expect(forbidden('这个月免了，行不行？')).toEqual(['tag-hao-bu-hao:行不行']);
	});

	it('flags 懂不懂 anywhere and 是不是 only as a closing tag', () => {
		expect(forbidden('封顶 60 块，懂不懂？')).toEqual(['tag-dong-bu-dong:懂不懂']);
		expect(forbidden('您平时看视频比较多，是不是？')).toEqual(['tag-shi-bu-shi:是不是']);
		expect(forbidden('请问这几天家里是不是有人用了您的热点？')).toEqual([]);
	});
});

describe('forbidden: 对对对 and the three don’ts', () => {
	it('flags repeated 对 with or without commas, but not a single 对', () => {
		expect(forbidden('对对对，断网了是吧。')).toEqual(['dui-dui-dui:对对对']);
		expect(forbidden('对，对，对，我知道。')).toEqual(['dui-dui-dui:对，对，对']);
		expect(forbidden('对，您说得没错。')).toEqual([]);
	});

	it('flags 不知道 / 不清楚 / 不了解 (and 不太清楚)', () => {
		expect(forbidden('这个我不知道。')).toEqual(['three-donts:不知道']);
		expect(forbidden('具体原因我不太清楚。')).toEqual(['three-donts:不太清楚']);
		expect(forbidden('那个业务我不了解。')).toEqual(['three-donts:不了解']);
	});

	it('does not flag hearing trouble, an invitation to ask, or a polite 不知道您…', () => {
		expect(forbidden('不好意思，信号不好，我这边听不清楚。')).toEqual([]);
		expect(forbidden('如果还有哪里不清楚的地方，您随时问我。')).toEqual([]);
		expect(forbidden('不知道您现在方便接听电话吗？')).toEqual([]);
	});
});

describe('hits', () => {
	it('carry the turn timing, the match offset and both explanations', () => {
		const [hit] = checkTranscript(turns(['customer', '喂'], ['agent', '这是公司的规定。']), RULES);
		expect(hit).toMatchObject({
			ruleId: 'company-policy',
			kind: 'forbidden',
			severity: 'high',
			start: 1,
			end: 2,
			line: 2,
			text: '这是公司的规定。',
			match: '公司的规定',
			index: 2
		});
		expect(hit.explanation.zh).toMatch(/规定/);
		expect(hit.explanation.en).toMatch(/policy/);
	});

	it('report several rules in one turn, in rule order', () => {
		expect(forbidden('你这个问题我不知道，没有办法啊。')).toEqual([
			'ni-instead-of-nin:你',
			'flat-refusal:没有办法',
			'final-a:啊',
			'three-donts:不知道'
		]);
	});

	it('mask only quoted text', () => {
		expect(maskQuoted('您说「不行」，我不行', [['「', '」']])).toBe(
			'您说\uFFFC\uFFFC\uFFFC\uFFFC，我不行'
		);
		expect(forbidden('您说「不行」，我理解。')).toEqual([]);
	});
});

const EXEMPLARY = `坐席：您好，星联通信，工号 2047 为您服务，请问有什么可以帮您？
客户：我想问问积分怎么用。
坐席：好的，请问您贵姓？
客户：姓孙。
坐席：孙先生，您是说想了解积分能兑换什么，对吗？
客户：对。
坐席：积分可以兑换流量包，也可以抵扣话费，100 积分抵 1 元。孙先生，请问还有其他需要帮您的吗？
客户：没有了。
坐席：感谢您的来电，欢迎拨打服务热线 400-820-6655，再见！
[客户挂断]`;

describe('required actions (inbound)', () => {
	it('finds nothing missing in a complete call', () => {
		expect(missing(EXEMPLARY)).toEqual([]);
	});

	it('reports a greeting without company or agent id, with the missing parts', () => {
		const t = parsePlainTranscript(
			EXEMPLARY.replace('您好，星联通信，工号 2047 为您服务，', '喂，')
		);
		const hit = checkTranscript(t, RULES, { callType: 'consultation' }).find(
			(h) => h.ruleId === 'greeting'
		);
		expect(hit?.missing.map((m) => m.en)).toEqual([
			'a greeting',
			'the company name',
			'the agent id'
		]);
		expect(hit?.line).toBe(1);
	});

	it('requires the surname to be asked before it is used', () => {
		expect(missing(EXEMPLARY.replace('请问您贵姓？', '您请说。'))).toEqual(['ask-and-use-surname']);
		// asked but never used
		expect(missing(EXEMPLARY.replace(/孙先生/g, '您'))).toEqual(['ask-and-use-surname']);
		// 您先生 / 您的女士 are not a surname
		expect(missing(EXEMPLARY.replace(/孙先生/g, '您先生'))).toEqual(['ask-and-use-surname']);
	});

	it('reports a missing restatement, caring close, thanks, goodbye and hotline', () => {
		expect(
			missing(EXEMPLARY.replace('您是说想了解积分能兑换什么，对吗？', '积分是这样的。'))
		).toEqual(['restate-problem']);
		expect(missing(EXEMPLARY.replace('请问还有其他需要帮您的吗？', ''))).toEqual(['caring-close']);
		expect(
			missing(EXEMPLARY.replace('感谢您的来电，欢迎拨打服务热线 400-820-6655，再见！', '好的。'))
		).toEqual(['thanks-and-goodbye', 'hotline-in-close']);
	});

	it('reports the agent hanging up first, and nothing when it is unknown', () => {
		expect(missing(EXEMPLARY.replace('[客户挂断]', '[坐席挂断]'))).toEqual([
			'customer-hangs-up-first'
		]);
		expect(missing(EXEMPLARY.replace('[客户挂断]', ''))).toEqual([]);
		const t = parsePlainTranscript(EXEMPLARY);
		expect(
			checkTranscript(t.turns, RULES, { callType: 'consultation', hungUpFirst: 'agent' }).map(
				(h) => h.ruleId
			)
		).toEqual(['customer-hangs-up-first']);
	});

	it('skips call-type rules when the call type is unknown', () => {
		const t = parsePlainTranscript('坐席：喂。\n客户：嗯。');
		expect(checkTranscript(t, RULES).map((h) => h.ruleId)).toEqual([
			'greeting',
			'thanks-and-goodbye'
		]);
	});
});

describe('required actions (callback)', () => {
	const CALLBACK = `客户：喂？
坐席：周女士您好，我是星联通信客服中心回访专员，工号 3157，想占用您两分钟做个服务回访，请问现在方便吗？
客户：方便。
坐席：非常感谢您的配合，今天打扰您了，再见！
[客户挂断]`;

	it('uses the callback rules instead of the inbound ones', () => {
		expect(missing(CALLBACK, 'outbound-callback')).toEqual([]);
		expect(missing(CALLBACK.replace('做个服务回访', '聊聊'), 'outbound-callback')).toEqual([
			'callback-purpose'
		]);
		expect(missing(CALLBACK.replace('今天打扰您了，', ''), 'outbound-callback')).toEqual([
			'callback-apology'
		]);
		expect(missing(CALLBACK.replace('周女士您好', '您好'), 'outbound-callback')).toEqual([
			'callback-address-by-surname'
		]);
	});
});
