// The duplicate check every create goes through (forms, API, import): the
// people who may already be this person, each shown to the user with the
// reasons for its score, and each showing audited as a read of that person;
// and the person search, audited the same way.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAudits, type Actor } from '../../platform/audit.ts';
import type { PersonInput } from './rules.ts';
import type { MatchDetails } from './matching.ts';
import { findCandidates, searchPeople, type Candidate, type NewIdentifier, type SearchTerms } from './queries.ts';

export function detailsOf(person: PersonInput, identifiers: NewIdentifier[] = []): MatchDetails {
  return {
    names: [{ given: person.givenName, family: person.familyName }],
    dateOfBirth: person.dateOfBirth,
    sex: person.sex,
    postcodes: person.postcode ? [person.postcode] : [],
    identifiers: identifiers.map((i) => ({ scheme: i.scheme, value: i.value })),
  };
}

export async function auditedCandidates(trx: Transaction<DB>, actor: Actor, person: PersonInput, identifiers: NewIdentifier[] = []): Promise<Candidate[]> {
  const candidates = await findCandidates(trx, detailsOf(person, identifiers));
  await recordAudits(trx, actor, candidates.map((c) => ({ action: 'person.match', recordType: 'person', recordId: c.id, personId: c.id, detail: { score: c.score } })));
  return candidates;
}

/** A search, with a read of each person it shows (or one event saying it found nobody). */
export async function auditedSearch(trx: Transaction<DB>, actor: Actor, terms: SearchTerms): Promise<Candidate[]> {
  const results = await searchPeople(trx, terms);
  const shown = results.map((r) => ({ action: 'person.search', recordType: 'person', recordId: r.id, personId: r.id }));
  await recordAudits(trx, actor, shown.length ? shown : [{ action: 'person.search', recordType: 'person', detail: { results: 0 } }]);
  return results;
}
