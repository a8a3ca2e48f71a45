/** UUIDs in their canonical lowercase text form (what PostgreSQL and randomUUID produce). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The same, in either case: for input that PostgreSQL's uuid type would accept as is. */
export const UUID_ANY_CASE = new RegExp(UUID.source, 'i');
