// Typing-test passages: original texts about the agent's daily work at the fictional
// 星联通信 (see content/README.md). Stable ids: attempts refer to them.
export type Passage = { id: string; title: string; titleEn: string; text: string };

export const PASSAGES: Passage[] = [
	{
		id: 'morning-shift',
		title: '早班开场',
		titleEn: 'The morning shift',
		text:
			'早上八点半，客服中心的灯一盏盏亮起来。小林戴好耳麦，先看了一遍今天的系统公告：宽带套餐有新的优惠，积分兑换规则也调整了。' +
			'第一通电话来自一位老年用户，他说家里的网络突然断了。小林放慢语速，请他先看看光猫上的指示灯是什么颜色，再一步一步帮他重启设备。' +
			'十分钟后，网络恢复了，老人连声道谢。小林在工单里写下处理经过，准备接听下一通来电。'
	},
	{
		id: 'bill-question',
		title: '账单疑问',
		titleEn: 'A question about the bill',
		text:
			'张女士打来电话，语气有些着急：这个月的话费比平时多了四十多元。坐席先核实了她的身份，然后逐项查看账单明细，' +
			'发现是流量超出了套餐额度。坐席没有急着解释规则，而是先表示理解，再告诉她超出部分按每GB五元计费，每月最多收六十元。' +
			'接着，坐席建议她升级到流量更多的套餐，并说明升级可以当月生效，只需按天数补差价。张女士听完觉得合理，决定考虑一下再回电。'
	},
	{
		id: 'broadband-visit',
		title: '预约上门',
		titleEn: 'Booking a technician',
		text:
			'一位用户反映宽带已经连续两天时断时续，打游戏和视频通话都受影响。坐席记录下地址、联系电话和故障现象，' +
			'为他预约了第二天上午的维修时段，并告诉他技术人员会在二十四小时内上门。用户担心耽误上班，坐席主动提出可以改到傍晚，' +
			'并提醒他如果断网超过一整天，可以按天减免当天的费用。挂机前，坐席复述了一遍预约信息，确认无误后才礼貌道别。'
	},
	{
		id: 'calm-voice',
		title: '平稳的声音',
		titleEn: 'A steady voice',
		text:
			'下午来电最多的时候，难免会遇到情绪激动的客户。有经验的坐席知道，对方提高音量时，自己更要放低声音、放慢节奏。' +
			'先让客户把话说完，用简短的回应表示在认真听，再把问题的要点复述一遍，请对方确认。这样做既能让客户平静下来，' +
			'也能避免误解。一通电话结束后，如果心里还有些起伏，可以起身喝口水，深呼吸几次，再以平稳的状态迎接下一位客户。'
	}
];

export function findPassage(id: string): Passage | null {
	return PASSAGES.find((p) => p.id === id) ?? null;
}
