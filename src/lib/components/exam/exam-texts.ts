import { m } from '$lib/paraglide/messages';
import type { ExamTexts } from '$lib/exam-client/session';

/** The strings the exam client shows, in the reader's language (handed to the script by the page). */
export const examTexts = (): ExamTexts => ({
	saved: `✓ ${m.take_saved()}`,
	saving: m.take_saving(),
	offline: m.take_offline(),
	closed: m.take_closed(),
	confirm: m.take_submit_confirm(),
	unanswered: m.take_unanswered({ count: '{count}' })
});
