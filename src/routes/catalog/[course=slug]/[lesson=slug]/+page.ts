import type { Component } from 'svelte';
import type { PageLoad } from './$types';

// Each lesson is its own chunk: the page loads only the lesson it shows.
const lessons = import.meta.glob<{ default: Component }>('/content/courses/*/*.md');

export const load = (async ({ data }) => {
	const mod = await lessons[data.lesson.file]();
	return { ...data, content: mod.default };
}) satisfies PageLoad;
