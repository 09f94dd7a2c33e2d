// The one sharing decision (issue 18): may what the partnership knows about
// this young person go to this agency? Every entrance that shares asks here:
// referrals (page and API), actions given to another agency from a plan or a
// meeting, MASH referrals, and incidents shared with a partner. The answer reads every word on it: consent
// given or refused on any of the young person's urgent responses or on their
// record, and lawful bases to share without consent, recorded by one person
// and confirmed by a second.
//
// The rule: consent given (the latest word) allows it; so does a lawful
// basis a second person confirmed, even after a refusal (that is what it is
// for: safeguarding does not wait for consent). A refusal binds every
// entrance until consent is given again, the refusal is withdrawn, or a basis
// is confirmed; a basis still waiting for its second person allows nothing.
import type { Kysely, Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '../../db/schema.ts';
import { agreementCovering } from '../governance/agreements.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type SharingState = 'none' | 'given' | 'refused' | 'basis_pending' | 'basis_confirmed';

export interface SharingDecision {
  state: SharingState;
  allowed: boolean;
  /** Why, in the users' words, for an error message or the person page. */
  words: string;
}

export const SHARING_STATES: Record<SharingState, string> = {
  none: 'No consent or lawful basis recorded',
  given: 'Consent given',
  refused: 'Consent refused',
  basis_pending: 'Lawful basis waiting for a second person to confirm it',
  basis_confirmed: 'Lawful basis confirmed by a second person',
};

/** The decision for sharing this young person's information with an agency (or with any partner, when none is named). */
export async function decideSharing(db: Db, personId: string, toAgencyId: string | null): Promise<SharingDecision> {
  const forAgency = <T extends { to_agency_id: string | null }>(rows: T[]) => rows.filter((r) => r.to_agency_id === null || r.to_agency_id === toAgencyId);
  // The three sources in one round trip (times arrive as ISO text, read below as dates).
  const { onResponses, bases, decisions } = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('consent')
          .innerJoin('urgent_response', 'urgent_response.id', 'consent.urgent_response_id')
          .select(['consent.status', 'consent.decided_at', 'consent.recorded_at'])
          .where('urgent_response.person_id', '=', personId)
          .where('consent.status', 'in', ['given', 'refused']),
      ).as('onResponses'),
      jsonArrayFrom(eb.selectFrom('lawful_basis').innerJoin('urgent_response', 'urgent_response.id', 'lawful_basis.urgent_response_id').select(['lawful_basis.approved_at']).where('urgent_response.person_id', '=', personId)).as('bases'),
      jsonArrayFrom(eb.selectFrom('sharing_decision').selectAll().where('person_id', '=', personId).where('withdrawn_at', 'is', null)).as('decisions'),
    ])
    .executeTakeFirstOrThrow();
  const own = forAgency(decisions);
  // Consent's latest word, wherever it was recorded.
  const words = [
    ...onResponses.map((c) => ({ given: c.status === 'given', at: new Date(c.decided_at).getTime(), recorded: new Date(c.recorded_at).getTime() })),
    ...own.filter((d) => d.kind !== 'lawful_basis').map((d) => ({ given: d.kind === 'consent', at: new Date(d.decided_at).getTime(), recorded: new Date(d.recorded_at).getTime() })),
  ].sort((a, b) => b.at - a.at || b.recorded - a.recorded);
  const latest = words[0];
  const lawful = [...bases.map((b) => Boolean(b.approved_at)), ...own.filter((d) => d.kind === 'lawful_basis').map((d) => Boolean(d.confirmed_at))];
  if (latest?.given) return { state: 'given', allowed: true, words: SHARING_STATES.given };
  if (lawful.some(Boolean)) return { state: 'basis_confirmed', allowed: true, words: SHARING_STATES.basis_confirmed };
  if (latest && !latest.given) {
    return { state: 'refused', allowed: false, words: 'Consent was refused, and no lawful basis to share without it has been confirmed by a second person: nothing is shared until consent is given, the refusal is withdrawn, or a lawful basis is confirmed' };
  }
  if (lawful.length) return { state: 'basis_pending', allowed: false, words: 'The lawful basis for sharing without consent is waiting for a second person (a coordinator or panel chair) to confirm it: nothing is shared until then' };
  return { state: 'none', allowed: false, words: 'Nothing is shared without the young person’s or family’s consent, or a lawful basis for sharing without it confirmed by a second person' };
}

export const DECISION_KINDS = { consent: 'Consent given', refusal: 'Consent refused', lawful_basis: 'A lawful basis to share without consent' } as const;

export interface Recorder {
  agencyId: string;
  userId: string | null;
  apiClientId: string | null;
}

/** Consent a referral says was given: kept against the young person, for the agency it goes to. */
export async function recordConsent(trx: Transaction<DB>, by: Recorder, input: { personId: string; toAgencyId: string; byWhom: 'young_person' | 'parent_carer'; decidedOn: string; purpose: string }) {
  return trx
    .insertInto('sharing_decision')
    .values({
      person_id: input.personId,
      to_agency_id: input.toAgencyId,
      kind: 'consent',
      by_whom: input.byWhom,
      decided_at: new Date(`${input.decidedOn}T12:00:00Z`),
      purpose: input.purpose,
      agency_id: by.agencyId,
      recorded_by: by.userId,
      recorded_by_client: by.apiClientId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Every decision recorded on the young person's record, newest first, for the Sharing section of their page. */
export function sharingDecisions(db: Db, personId: string) {
  return db
    .selectFrom('sharing_decision')
    .leftJoin('agency as to', 'to.id', 'sharing_decision.to_agency_id')
    .innerJoin('agency as by', 'by.id', 'sharing_decision.agency_id')
    .leftJoin('app_user as recorder', 'recorder.id', 'sharing_decision.recorded_by')
    .leftJoin('api_client as client', 'client.id', 'sharing_decision.recorded_by_client')
    .leftJoin('app_user as confirmer', 'confirmer.id', 'sharing_decision.confirmed_by')
    .selectAll('sharing_decision')
    .select(['to.name as to_agency_name', 'by.name as agency_name', 'recorder.display_name as recorded_by_name', 'client.name as client_name', 'confirmer.display_name as confirmed_by_name'])
    .where('sharing_decision.person_id', '=', personId)
    .orderBy('sharing_decision.decided_at', 'desc')
    .orderBy('sharing_decision.recorded_at', 'desc')
    .execute();
}

/** Thrown in a transaction that would share an incident against a refusal: the rollback undoes the whole change. */
export class SharingRefused extends Error {}

/** The work's result, or the refusal that rolled it back. */
export function orSharingRefused<T>(work: Promise<T>): Promise<T | SharingRefused> {
  return work.catch((error: unknown) => {
    if (error instanceof SharingRefused) return error;
    throw error;
  });
}

/**
 * Incidents are shared under the partnership's agreement for the Urgent
 * Response protocol, so sharing one needs no word of its own; a refusal binds
 * here too. An incident is not shared with an agency that someone in it
 * refused (consent refused, no lawful basis confirmed since), whichever door
 * shared it or added the person; the agencies coordinating urgent responses
 * are the exception, because running the response is the protocol's duty.
 * Every share of an incident that names someone also needs a data sharing
 * agreement in force for incident sharing between the two agencies.
 * Throws SharingRefused with the words to show.
 */
export async function refuseIncidentSharing(trx: Transaction<DB>, incidentId: string): Promise<void> {
  const [incident, people, partners] = await Promise.all([
    trx.selectFrom('incident').select('agency_id').where('id', '=', incidentId).executeTakeFirstOrThrow(),
    trx.selectFrom('involvement').select('person_id').distinct().where('incident_id', '=', incidentId).execute(),
    trx
      .selectFrom('incident_share')
      .innerJoin('agency', 'agency.id', 'incident_share.agency_id')
      .select(['agency.id', 'agency.name', 'agency.receives_incidents'])
      .where('incident_share.incident_id', '=', incidentId)
      .execute(),
  ]);
  if (!people.length) return;
  // An incident that names someone is shared only under an agreement in force for incident sharing (issue 21).
  for (const partner of partners) {
    const coverage = await agreementCovering(trx, incident.agency_id, partner.id, 'incident_sharing');
    if (!coverage.covered) throw new SharingRefused(`${coverage.words}. The incident names young people, so it cannot be shared with ${partner.name} until then`);
  }
  for (const partner of partners.filter((p) => !p.receives_incidents)) {
    for (const { person_id } of people) {
      if ((await decideSharing(trx, person_id, partner.id)).state === 'refused') {
        throw new SharingRefused(
          `Someone in this incident refused consent to share their information with ${partner.name}, and no lawful basis to share without it has been confirmed by a second person: the incident cannot be shared with ${partner.name} while they are in it`,
        );
      }
    }
  }
}
