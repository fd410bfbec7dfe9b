/** Shared test fixtures: a small bank with one item of every type. */

export const PATH = 'content/exams/sample.md';

export const FRONT = `---
title: 样例笔试
titleEn: Sample test
kind: written
stage: first-assessment
timeLimitMinutes: 30
passMark: 60
attemptsAllowed: 2
shuffleItems: true
shuffleOptions: true
release: immediate
review: { showScore: true, showCorrect: true, showExplanation: true }
multipleChoiceScoring: partial
sections:
  - title: 全部
    draw: 1
    points: 2
---
`;
/** Lines taken by FRONT (the body starts on the next line). */
export const FRONT_LINES = FRONT.split('\n').length - 1;

export const ALL_TYPES = `# 样例题库

## s-single · single · d1
tags: service-concepts, service-mindset

服务作为一种产品，最大的特点是什么？

- [ ] 可以先试用后购买
- [x] 看不见摸不着
- [ ] 可以储存

> 服务是无形的。

## s-multi · multiple · d2
tags: phone-etiquette, etiquette

哪些说法是禁用语？

- [x] 这是公司的规定
- [ ] 请问有什么可以为您服务的？
- [x] 不知道

> 前者生硬，后者显得不专业。

## s-tf · truefalse · d1
tags: phone-etiquette

客户还没挂机时，坐席可以先挂断电话。

= 错

> 要等客户先挂机。

## s-fill · fill · d2
tags: service-concepts

流失客户中约有 ___% 是因为服务不好，约 ___% 是因为问题没有解决。

= 94 | 九十四
= 89

> 94% 与 89%。

## s-match · matching · d2
tags: phone-etiquette

把说法与它给客户的感受连起来。

- 懂不懂？ => 居高临下
- 对对对 => 不耐烦
- 没有办法 => 没有服务意愿
- => 亲切友好

> 最后一项是干扰项。

## s-order · ordering · d1
tags: customer-service-knowledge, call-handling

把来电受理的动作排好顺序。

1. 接起问候
2. 倾听
3. 记录
4. 解答
5. 收尾

> 五个标准动作。

## s-short · short · d3
tags: answering-skills, complaint-handling

客户来电投诉时，坐席应该怎样做？

= 保持冷静，让客户充分倾诉，
= 表示理解后逐步提出解决办法。
+ (2) 保持冷静，不计较言辞
+ (2) 让客户把话说完
+ 提出解决方案

> 参考要点见上。
`;
