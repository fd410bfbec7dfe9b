import type { Component } from 'svelte';
import type { PageLoad } from './$types';

const intros = import.meta.glob<{ default: Component }>('/content/courses/*/index.md');

export const load = (async ({ data }) => ({
	...data,
	intro: (await intros[data.course.file]()).default
})) satisfies PageLoad;
