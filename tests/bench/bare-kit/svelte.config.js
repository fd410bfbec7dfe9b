// F4 of the exam-day benchmark: the smallest SvelteKit app that does what F3 does (one durable
// postgres.js upsert per request, from an endpoint), built with the app's own kit and adapter.
// No hooks, no session, no validation: what SvelteKit + adapter-node cost by themselves.
import adapter from '@sveltejs/adapter-node';

export default { kit: { adapter: adapter({ out: 'build' }) } };
