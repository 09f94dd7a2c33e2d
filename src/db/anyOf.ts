// Any of many ids as one array parameter, where `IN (...)` would send one
// parameter each: a second step from a big London group reaches tens of
// thousands of people, and PostgreSQL takes 65,535 parameters at most.
import { sql } from 'kysely';

export const anyOf = (ids: string[]) => sql<string>`any(${ids}::uuid[])`;
