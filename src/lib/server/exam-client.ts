import { hash } from 'virtual:exam-client';

/** Where the written-test page loads its script from (served by src/routes/exam-client.[hash].js). */
export const examClientSrc = `/exam-client.${hash}.js`;
