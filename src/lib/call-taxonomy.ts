// The shared vocabulary of calls: call types (信息分类), what graders and trainees annotate in a
// recording, and the questioning techniques. Content files, the phrase checker, the case
// schema and the pages all use these lists, so there is one place to change them.

export const CALL_TYPES = [
	'consultation',
	'service',
	'general-complaint',
	'special-complaint',
	'outbound-callback'
] as const;
export type CallType = (typeof CALL_TYPES)[number];

/** Reference annotation categories for graders. */
export const ANNOTATION_CATEGORIES = [
	/** Something the trainee should copy. */
	'good-practice',
	/** A forbidden expression; `rule` names the phrase-rule id. */
	'forbidden-expression',
	'interrupting',
	'arguing',
	/** Missing or incomplete standard greeting (company + agent id), or callback identity. */
	'no-greeting',
	/** Account change or bill detail without identity verification. */
	'no-verification',
	'no-surname',
	'no-restating',
	/** Emotion ignored, cold or blaming tone. */
	'no-empathy',
	/** Pushing the customer elsewhere instead of helping (推托). */
	'deflecting',
	/** A step of the standard actions left out (e.g. the four callback aspects). */
	'skipped-step',
	'no-caring-close',
	/** Close without thanks / goodbye / hotline / apology for the disturbance. */
	'incomplete-close',
	'hung-up-first',
	/** A product fact or service rule of 星联通信 stated wrongly. */
	'wrong-information',
	/** Wrong complaint route: a special complaint not put on a 投诉处理单, or an outcome promised. */
	'wrong-routing',
	/** Pestering or selling during a service call or callback. */
	'pushy-selling'
] as const;
export type AnnotationCategory = (typeof ANNOTATION_CATEGORIES)[number];

export const QUALITIES = ['exemplary', 'mixed', 'poor'] as const;

/** The five questioning techniques (提问技巧). */
export const QUESTIONING_TECHNIQUES = [
	'targeted',
	'choice',
	'verification',
	'opinion',
	'caring'
] as const;
