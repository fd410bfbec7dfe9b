export { default as Quiz } from './Quiz.svelte';
export { default as Rewrite } from './Rewrite.svelte';
export { default as SelfCheck } from './SelfCheck.svelte';
export { default as Compare } from './Compare.svelte';
export { default as Reveal } from './Reveal.svelte';
export { default as Callout } from './Callout.svelte';
