// The duplicate check every create goes through (forms, API, import): the
// people who may already be this person, each shown to the user with the
// reasons for its score, and each showing audited as a read of that person.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Auditor } from '../../platform/routes.ts';
import type { PersonInput } from './rules.ts';
import type { MatchDetails } from './matching.ts';
import { findCandidates, type Candidate, type NewIdentifier } from './queries.ts';

export function detailsOf(person: PersonInput, identifiers: NewIdentifier[] = []): MatchDetails {
  return {
    names: [{ given: person.givenName, family: person.familyName }],
    dateOfBirth: person.dateOfBirth,
    sex: person.sex,
    postcodes: person.postcode ? [person.postcode] : [],
    identifiers: identifiers.map((i) => ({ scheme: i.scheme, value: i.value })),
  };
}

export async function auditedCandidates(trx: Transaction<DB>, audit: Auditor, person: PersonInput, identifiers: NewIdentifier[] = []): Promise<Candidate[]> {
  const candidates = await findCandidates(trx, detailsOf(person, identifiers));
  for (const c of candidates) await audit({ action: 'person.match', recordType: 'person', recordId: c.id, personId: c.id, detail: { score: c.score } });
  return candidates;
}
