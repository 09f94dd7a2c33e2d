// The partnership's person record in SQL: one record per child, shared, so
// partners stop double-keying. Identity and the involvement flags (who works
// with the child, and how to reach them) are the partnership's; the detail of
// each agency's work stays with that agency and those it shares with.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Recorder } from '../incidents/queries.ts';
import type { PersonInput } from './rules.ts';
import type { IdentifierScheme } from './identifiers.ts';
import { SHOW_FROM, candidateKeySets, matchKeys, scoreCandidate, wordKeys, type MatchDetails, type Scored, nearDates } from './matching.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Search keys as one text[] parameter, for the GIN-indexed @> and && operators. */
const textArray = (keys: string[]) => sql<string[]>`${sql.val(keys)}::text[]`;

export interface NewIdentifier {
  scheme: IdentifierScheme;
  value: string;
  agencyId?: string | null;
}

/** A live (not merged-away) person's own row. */
export function findPerson(db: Db, id: string) {
  return db.selectFrom('person').selectAll().where('id', '=', id).where('merged_into', 'is', null).executeTakeFirst();
}
export type PersonRow = NonNullable<Awaited<ReturnType<typeof findPerson>>>;

export async function createPerson(trx: Transaction<DB>, by: Recorder, person: PersonInput, identifiers: NewIdentifier[] = []): Promise<string> {
  const row = await trx
    .insertInto('person')
    .values({
      agency_id: by.agencyId,
      given_name: person.givenName,
      family_name: person.familyName,
      date_of_birth: person.dateOfBirth,
      sex: person.sex,
      ethnicity: person.ethnicity,
      address: person.address,
      postcode: person.postcode,
      created_by: by.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // A postcode typed without an address is still where the young person lives: kept as an address (issue 18).
  if (person.address || person.postcode) {
    await trx.insertInto('person_address').values({ person_id: row.id, address: person.address ?? 'Postcode only', postcode: person.postcode, recorded_by: by.userId }).execute();
  }
  if (identifiers.length) {
    await trx
      .insertInto('person_identifier')
      .values(identifiers.map((i) => ({ person_id: row.id, scheme: i.scheme, value: i.value, agency_id: i.scheme === 'agency' ? (i.agencyId ?? by.agencyId) : null, recorded_by: by.userId })))
      .execute();
  }
  await refreshMatchKeys(trx, [row.id]);
  return row.id;
}

/** Everything the matcher compares, for each of these people: names and aliases, date of birth, every postcode, every identifier. */
export async function matchDetailsOf(db: Db, ids: string[]): Promise<Map<string, MatchDetails>> {
  const details = new Map<string, MatchDetails>();
  if (!ids.length) return details;
  const people = await db.selectFrom('person').select(['id', 'given_name', 'family_name', 'date_of_birth', 'sex', 'postcode']).where('id', 'in', ids).execute();
  for (const p of people) {
    details.set(p.id, { names: [{ given: p.given_name, family: p.family_name }], dateOfBirth: p.date_of_birth, sex: p.sex, postcodes: p.postcode ? [p.postcode] : [], identifiers: [] });
  }
  const [aliases, mergedAway, addresses, identifiers] = await Promise.all([
    db.selectFrom('person_alias').select(['person_id', 'given_name', 'family_name', 'kind']).where('person_id', 'in', ids).execute(),
    // A merged-away record's names still find the child.
    db.selectFrom('person').select(['merged_into as person_id', 'given_name', 'family_name', 'postcode']).where('merged_into', 'in', ids).execute(),
    db.selectFrom('person_address').select(['person_id', 'postcode']).where('person_id', 'in', ids).where('postcode', 'is not', null).execute(),
    db.selectFrom('person_identifier').select(['person_id', 'scheme', 'value']).where('person_id', 'in', ids).execute(),
  ]);
  for (const a of aliases) details.get(a.person_id)?.names.push({ given: a.given_name, family: a.family_name, kind: ALIAS_KINDS[a.kind as AliasKind] ?? a.kind });
  for (const m of mergedAway) {
    const d = details.get(m.person_id!);
    d?.names.push({ given: m.given_name, family: m.family_name, kind: 'a merged record' });
    if (d && m.postcode && !d.postcodes.includes(m.postcode)) d.postcodes.push(m.postcode);
  }
  for (const a of addresses) {
    const d = details.get(a.person_id);
    if (d && a.postcode && !d.postcodes.includes(a.postcode)) d.postcodes.push(a.postcode);
  }
  for (const i of identifiers) details.get(i.person_id)?.identifiers.push({ scheme: i.scheme as IdentifierScheme, value: i.value });
  return details;
}

export const ALIAS_KINDS = { alias: 'alias', previous_name: 'previous name', known_as: 'known as', street_name: 'street name' } as const;
export type AliasKind = keyof typeof ALIAS_KINDS;

/** Recomputes the search keys from the record as it now stands: after any change to names, addresses or identifiers. */
export async function refreshMatchKeys(db: Db, ids: string[]): Promise<void> {
  const details = await matchDetailsOf(db, ids);
  for (const [id, d] of details) await db.updateTable('person').set({ match_keys: matchKeys(d) }).where('id', '=', id).execute();
}

/** Keys for people recorded before keys existed (or loaded in bulk): done once at start-up, in batches. */
export async function backfillMatchKeys(db: Kysely<DB>, batch = 1000): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await db.selectFrom('person').select('id').where('match_keys', '=', sql<string[]>`'{}'`).limit(batch).execute();
    if (!rows.length) return done;
    await db.transaction().execute((trx) => refreshMatchKeys(trx, rows.map((r) => r.id)));
    done += rows.length;
  }
}

// More than this many people sharing two pieces of evidence is not a short list; the best are kept.
const SHORT_LIST = 300;

export interface Candidate extends Scored {
  id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  postcode: string | null;
  recorded_by: string;
  agencies: string[];
}

/**
 * People who may be the one described, best first, each with its score and
 * reasons; only those scoring SHOW_FROM or more. Searches the whole
 * partnership: a duplicate is a duplicate whoever recorded it.
 */
export async function findCandidates(db: Db, query: MatchDetails, options: { exclude?: string; limit?: number; showFrom?: number } = {}): Promise<Candidate[]> {
  const sets = candidateKeySets(query);
  if (!sets.length) return [];
  let q = db
    .selectFrom('person')
    .select('id')
    .where('merged_into', 'is', null)
    .where((eb) => eb.or(sets.map((keys) => eb('match_keys', '@>', textArray(keys)))));
  if (options.exclude) q = q.where('id', '<>', options.exclude);
  const ids = (await q.limit(SHORT_LIST).execute()).map((r) => r.id);
  return scored(db, query, ids, options.showFrom ?? SHOW_FROM, options.limit ?? 10);
}

async function scored(db: Db, query: MatchDetails, ids: string[], showFrom: number, limit: number): Promise<Candidate[]> {
  const details = await matchDetailsOf(db, ids);
  const results = [...details].map(([id, d]) => ({ id, ...scoreCandidate(query, d) })).filter((r) => r.score >= showFrom);
  results.sort((a, b) => b.score - a.score);
  const top = results.slice(0, limit);
  if (!top.length) return [];
  const [people, agencies] = await Promise.all([
    db
      .selectFrom('person')
      .innerJoin('agency', 'agency.id', 'person.agency_id')
      .select(['person.id', 'person.given_name', 'person.family_name', 'person.date_of_birth', 'person.postcode', 'agency.name as recorded_by'])
      .where('person.id', 'in', top.map((t) => t.id))
      .execute(),
    involvedAgencies(db, top.map((t) => t.id)),
  ]);
  const byId = new Map(people.map((p) => [p.id, p]));
  return top.map((t) => ({ ...byId.get(t.id)!, ...t, agencies: agencies.get(t.id) ?? [] }));
}

export interface SearchTerms {
  name: string | null;
  dateOfBirth: string | null;
  postcode: string | null;
  identifier: { scheme: IdentifierScheme; value: string } | null;
}

/**
 * The search page: every term given must agree (a name by how it sounds, in
 * either order, nicknames included). Ranked by the same scoring as duplicate
 * checks, so the reasons read the same.
 */
export async function searchPeople(db: Db, terms: SearchTerms, limit = 25): Promise<Candidate[]> {
  const words = (terms.name ?? '').split(/\s+/).filter(Boolean);
  const query: MatchDetails = {
    names: words.length >= 2 ? [{ given: words.slice(0, -1).join(' '), family: words[words.length - 1] }] : words.length ? [{ given: words[0], family: words[0] }] : [],
    dateOfBirth: terms.dateOfBirth,
    postcodes: terms.postcode ? [terms.postcode] : [],
    identifiers: terms.identifier ? [terms.identifier] : [],
  };
  const required: string[] = [];
  // With a name, a date of birth a slip away counts as agreeing, as it does in the duplicate check (one matcher):
  // the person whose day and month were swapped is found, and scored lower than one with the exact date.
  const nearBirth = terms.dateOfBirth && words.length ? [terms.dateOfBirth, ...nearDates(terms.dateOfBirth)].map((d) => `d:${d}`) : null;
  if (terms.dateOfBirth && !nearBirth) required.push(`d:${terms.dateOfBirth}`);
  if (terms.postcode) required.push(`p:${terms.postcode}`);
  if (terms.identifier) required.push(...matchKeys({ names: [], dateOfBirth: null, postcodes: [], identifiers: [terms.identifier] }));
  if (!required.length && !words.length) return [];
  let q = db.selectFrom('person').select('id').where('merged_into', 'is', null);
  if (required.length) q = q.where('match_keys', '@>', textArray(required));
  if (nearBirth) q = q.where('match_keys', '&&', textArray(nearBirth));
  // Each word must be one of the person's names, in any order, however spelt.
  for (const word of words.slice(0, 4)) q = q.where('match_keys', '&&', textArray(wordKeys(word)));
  const ids = (await q.limit(SHORT_LIST).execute()).map((r) => r.id);
  return scored(db, query, ids, Number.NEGATIVE_INFINITY, limit);
}

/** The agencies working with each person now, by name: what a candidate list may say about a child it has not opened. */
async function involvedAgencies(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const flags = await involvementFlags(db, ids);
  const out = new Map<string, string[]>();
  for (const f of flags) out.set(f.person_id, [...new Set([...(out.get(f.person_id) ?? []), f.agency_name])]);
  return out;
}

export interface InvolvementFlag {
  person_id: string;
  agency_id: string;
  agency_name: string;
  kind: string;
  since: string;
  contact: string | null;
  contact_detail: string | null;
  /** Where the detail lives, for those allowed to open it. */
  record: { type: 'urgent_response' | 'episode' | 'referral' | 'involvement'; id: string };
}

/**
 * Every agency working with the person now: open urgent responses, open
 * episodes, referrals waiting for an answer, and what agencies have said
 * themselves. A line each, shown to anyone who may see the person, whatever
 * is shared: the point is that partners know who else is involved.
 */
export async function involvementFlags(db: Db, personIds: string[]): Promise<InvolvementFlag[]> {
  if (!personIds.length) return [];
  // One array parameter, not one per person: two links from a big group reach tens of thousands (PostgreSQL takes 65,535 parameters).
  const rows = await sql<InvolvementFlag & { record_type: InvolvementFlag['record']['type']; record_id: string }>`
    SELECT ur.person_id, ur.agency_id, a.name AS agency_name, 'Urgent response' AS kind, to_char(ur.opened_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS since,
           w.display_name AS contact, w.email AS contact_detail, 'urgent_response' AS record_type, ur.id AS record_id
      FROM urgent_response ur JOIN agency a ON a.id = ur.agency_id LEFT JOIN app_user w ON w.id = ur.owner_id
     WHERE ur.person_id = ANY(${personIds}::uuid[]) AND ur.status = 'open'
    UNION ALL
    SELECT e.person_id, e.agency_id, a.name, s.name, to_char(e.started_on, 'YYYY-MM-DD'), w.display_name, w.email, 'episode', e.id
      FROM episode e JOIN agency a ON a.id = e.agency_id JOIN service s ON s.id = e.service_id JOIN app_user w ON w.id = e.lead_worker_id
     WHERE e.person_id = ANY(${personIds}::uuid[]) AND e.closed_on IS NULL
    UNION ALL
    SELECT r.person_id, s.provider_agency_id, a.name, 'Referral to ' || s.name, to_char(r.sent_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD'), s.contact, NULL, 'referral', r.id
      FROM referral r JOIN service s ON s.id = r.service_id JOIN agency a ON a.id = s.provider_agency_id
     WHERE r.person_id = ANY(${personIds}::uuid[]) AND r.status IN ('sent', 'waiting_list')
    UNION ALL
    SELECT i.person_id, i.agency_id, a.name, i.kind, to_char(i.since, 'YYYY-MM-DD'), i.contact_name, i.contact_detail, 'involvement', i.id
      FROM person_involvement i JOIN agency a ON a.id = i.agency_id
     WHERE i.person_id = ANY(${personIds}::uuid[]) AND i.ended_on IS NULL
     ORDER BY since`.execute(db);
  return rows.rows.map(({ record_type, record_id, ...f }) => ({ ...f, record: { type: record_type, id: record_id } }));
}
