// Page data that only the server's render uses. SvelteKit serialises every page's data into the
// response even when the page ships no framework (csr = false) and nothing reads it; for the
// written test (a whole cohort opens it within seconds) that walk cost as much as rendering.
// Data marked here serialises to a placeholder instead (see `transport` in src/hooks.ts).

/** Marker class: `renderOnly(x)` is `x`, recognisable by `instanceof`. */
export class RenderOnly {}

export function renderOnly<T extends object>(value: T): T {
	return Object.assign(Object.create(RenderOnly.prototype) as object, value) as T;
}
