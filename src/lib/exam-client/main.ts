// Entry of the standalone script the written-test page loads (bundled to one small IIFE by the
// exam-client plugin in vite.config.ts and served by src/routes/exam-client.[hash].js).
import { enhanceWrittenTest, type WrittenConfig } from './written';

// The page's settings: a JSON data block (`<script type="application/json" data-exam-client>`).
const settings = document.querySelector('script[data-exam-client]')?.textContent;
if (settings) enhanceWrittenTest(JSON.parse(settings) as WrittenConfig);
