// Small client helper for the session endpoint of a running mock call or shift.
export async function session(attemptId: string, body: Record<string, unknown>) {
	const res = await fetch(`/mock-calls/${attemptId}/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	const json = await res.json().catch(() => ({}));
	if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
	return json;
}
