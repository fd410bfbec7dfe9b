/** Only paths on this site: an open redirect would let a crafted link send people elsewhere. */
export function safeRedirect(value: unknown, fallback = '/'): string {
	const path = typeof value === 'string' ? value : '';
	return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\')
		? path
		: fallback;
}
