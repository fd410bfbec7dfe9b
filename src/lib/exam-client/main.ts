// Entry of the standalone script the written-test page loads (bundled to one small IIFE by the
// exam-client plugin in vite.config.ts and served by src/routes/exam-client.[hash].js).
import { enhanceWrittenTest, type WrittenConfig } from './written';

const host = document.querySelector<HTMLElement>('[data-exam-client]');
if (host?.dataset.examClient)
	enhanceWrittenTest(JSON.parse(host.dataset.examClient) as WrittenConfig);
