// Ids are UUIDs; anything else from a URL or a form is refused before it reaches PostgreSQL
// (which would answer a malformed one with an error, not with "no such row").
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);
