// Settings a server-rendered page hands to its script, as a JSON data block
// (`<script type="application/json">`): in an attribute every quote becomes `&quot;` (half again
// the bytes, escaped per page). Inside the block only `<` needs escaping, so that no text in the
// value can close the element or open a comment; `\u003c` is still `<` to JSON.parse.

/** `<script type="application/json" data-NAME>…</script>` holding `value`. */
export function jsonDataBlock(name: string, value: unknown): string {
	const json = JSON.stringify(value).replaceAll('<', '\\u003c');
	return `<script type="application/json" data-${name}>${json}</script>`;
}
