// Referrals in SQL. An agency sees the referrals it sent and those sent to
// its services; everyone else is told the referral does not exist.
import { agreementCovering } from '../governance/agreements.ts';
import { decideSharing, recordConsent } from '../sharing/decision.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { ageAt, londonToday } from '../../platform/time.ts';
import { addWorkingDays } from '../../platform/workingDays.ts';
import { getSetting } from '../../platform/settings.ts';
import type { PersonRow } from '../people/queries.ts';
import { findResponse } from '../urgent-response/queries.ts';
import type { ReferralInput, SharingBasis } from './rules.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Referrals an agency sees: those it sent and those sent to its services. */
export function referralVisibleTo(agencyId: string) {
  return sql<boolean>`(referral.from_agency_id = ${agencyId} OR EXISTS (SELECT 1 FROM service s WHERE s.id = referral.service_id AND s.provider_agency_id = ${agencyId}))`;
}

export function referralQuery(db: Db) {
  return db
    .selectFrom('referral')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .innerJoin('agency as provider', 'provider.id', 'service.provider_agency_id')
    .innerJoin('agency as sender', 'sender.id', 'referral.from_agency_id')
    .innerJoin('person', 'person.id', 'referral.person_id')
    .leftJoin('app_user as referrer', 'referrer.id', 'referral.from_user_id')
    .leftJoin('app_user as decider', 'decider.id', 'referral.decided_by')
    .leftJoin('app_user as confirmer', 'confirmer.id', 'referral.consent_confirmed_by')
    .leftJoin('urgent_response', 'urgent_response.id', 'referral.urgent_response_id')
    .selectAll('referral')
    .select([
      'service.name as service_name',
      'service.provider_agency_id',
      'service.planned_weeks',
      'provider.name as provider_name',
      'sender.name as from_agency_name',
      'referrer.display_name as referrer_name',
      'decider.display_name as decided_by_name',
      'confirmer.display_name as consent_confirmed_by_name',
      'urgent_response.reference as urgent_response_reference',
      'person.given_name',
      'person.family_name',
      'person.date_of_birth',
      (eb) => eb.selectFrom('episode').select('episode.id').whereRef('episode.referral_id', '=', 'referral.id').as('episode_id'),
    ]);
}

export function findReferral(db: Db, actor: Pick<RequestActor, 'agencyId'>, id: string) {
  return referralQuery(db).where('referral.id', '=', id).where(referralVisibleTo(actor.agencyId)).executeTakeFirst();
}
export type ReferralRow = NonNullable<Awaited<ReturnType<typeof findReferral>>>;

/** Incoming referrals are the receiving agency's tasks: waiting for a decision, or accepted and waiting to start. */
export function incomingReferrals(db: Db, agencyId: string) {
  return referralQuery(db)
    .where('service.provider_agency_id', '=', agencyId)
    .where('referral.status', 'in', ['sent', 'waiting_list', 'accepted'])
    .orderBy('referral.response_due_on')
    .orderBy('referral.sent_at')
    .limit(500)
    .execute();
}

export function sentReferrals(db: Db, agencyId: string) {
  return referralQuery(db).where('referral.from_agency_id', '=', agencyId).orderBy('referral.sent_at', 'desc').limit(200).execute();
}

/** Where a referral comes from: an urgent response, a case (episode), or the person's page. */
export interface Origin {
  urgentResponseId: string | null;
  fromEpisodeId: string | null;
}

/** The case a referral may come from: the caller's agency's own open episode of this person. */
export function originEpisode(db: Db, actor: Pick<RequestActor, 'agencyId'>, personId: string, episodeId: string) {
  return db
    .selectFrom('episode')
    .innerJoin('referral', 'referral.id', 'episode.referral_id')
    .innerJoin('service', 'service.id', 'episode.service_id')
    .select(['episode.id', 'service.name as service_name', 'referral.sharing_basis', 'referral.consent_by', 'referral.consent_on', 'referral.lawful_basis', 'referral.basis_reason'])
    .where('episode.id', '=', episodeId)
    .where('episode.person_id', '=', personId)
    .where('episode.agency_id', '=', actor.agencyId)
    .where('episode.closed_on', 'is', null)
    .executeTakeFirst();
}

/**
 * Where a referral comes from, looked up once for the form and the API:
 * undefined when it is not the caller's to refer from (another agency's
 * response, another child's, a case that is closed or not theirs).
 */
export async function loadOrigin(db: Db, actor: RequestActor, personId: string, ids: Origin) {
  const response = ids.urgentResponseId ? await findResponse(db, actor, ids.urgentResponseId) : null;
  if (ids.urgentResponseId && response?.person_id !== personId) return undefined;
  const episode = ids.fromEpisodeId ? await originEpisode(db, actor, personId, ids.fromEpisodeId) : null;
  if (ids.fromEpisodeId && !episode) return undefined;
  return { ids, response, episode };
}
export type LoadedOrigin = NonNullable<Awaited<ReturnType<typeof loadOrigin>>>;

/**
 * Checks a referral against the world: the service takes referrals and
 * takes children of this age; consent refused on the urgent response cannot
 * be claimed as given; only a case can be transferred. Records field errors;
 * returns the sharing basis to store (a transfer's comes from the case it moves).
 */
export async function checkReferral(db: Db, fromAgencyId: string, person: PersonRow, input: ReferralInput, origin: LoadedOrigin, errors: FormErrors): Promise<SharingBasis | null> {
  const service = await db.selectFrom('service').select(['name', 'min_age', 'max_age', 'active', 'provider_agency_id']).where('id', '=', input.serviceId).executeTakeFirst();
  if (!service || !service.active) errors.add('serviceId', 'Select a service from the directory');
  else {
    const age = ageAt(person.date_of_birth, new Date());
    if (age === null) errors.add('serviceId', `${service.name} takes young people aged ${service.min_age} to ${service.max_age}: add ${person.given_name}’s date of birth to their record so their age can be checked`);
    else if (age < service.min_age || age > service.max_age) errors.add('serviceId', `${service.name} takes young people aged ${service.min_age} to ${service.max_age}; ${person.given_name} is ${age}. Choose a service for their age`);
  }
  // A referral shares the young person's information with the service's agency: an agreement in force must cover it (issue 21).
  if (service?.active) {
    const coverage = await agreementCovering(db, fromAgencyId, service.provider_agency_id, 'referral');
    if (!coverage.covered) errors.add('serviceId', coverage.words);
  }
  const { episode } = origin;
  // The one sharing decision, for the agency the referral goes to: whatever the caller says, a refusal binds, and
  // a lawful basis counts only once a second person has confirmed it (issue 18).
  const decision = service ? await decideSharing(db, person.id, service.provider_agency_id) : null;
  if (decision && input.basis?.sharing_basis === 'consent' && decision.state === 'refused') {
    errors.add('sharingBasis', `Consent was refused for ${person.given_name}: a referral cannot say it was given. Record consent given on their record (under Sharing), or a lawful basis confirmed by a second person, or do not refer`);
  }
  if (decision && input.basis?.sharing_basis === 'lawful_basis' && !decision.allowed) {
    errors.add('sharingBasis', `A lawful basis for sharing without consent must be confirmed by a second person before anything is shared: record it on ${person.given_name}’s record (under Sharing) and ask a coordinator or panel chair to confirm it`);
  }
  if (decision && input.transfer && decision.state === 'refused') errors.add('transfer', `Consent was refused for ${person.given_name} since the case began: it cannot be transferred without consent or a confirmed lawful basis`);
  let basis = input.basis;
  if (input.transfer && !episode) errors.add('transfer', 'Only a case can be transferred');
  else if (input.transfer && episode) basis = { sharing_basis: episode.sharing_basis as SharingBasis['sharing_basis'], consent_by: episode.consent_by as SharingBasis['consent_by'], consent_on: episode.consent_on, lawful_basis: episode.lawful_basis, basis_reason: episode.basis_reason };
  if (!basis && !errors.any) errors.add('sharingBasis', 'Record consent or a lawful basis for sharing');
  return errors.any ? null : basis;
}

export interface Referrer {
  agencyId: string;
  userId: string | null;
  apiClientId: string | null;
}

/** Sends a referral once per submission key (a resubmitted form or API retry returns the first). */
export async function createReferral(trx: Transaction<DB>, by: Referrer, personId: string, input: ReferralInput, basis: SharingBasis, origin: Origin, submissionKey: string | null) {
  const days = Number((await getSetting<number>(trx as unknown as Kysely<DB>, 'referral_response_working_days')) ?? 5);
  const row = await trx
    .insertInto('referral')
    .values({
      reference: sql<string>`'RF-' || lpad(nextval('referral_reference_seq')::text, 6, '0')`,
      person_id: personId,
      service_id: input.serviceId,
      from_agency_id: by.agencyId,
      from_user_id: by.userId,
      from_client_id: by.apiClientId,
      urgent_response_id: origin.urgentResponseId,
      from_episode_id: origin.fromEpisodeId,
      is_transfer: input.transfer,
      reason: input.reason,
      ...basis,
      response_due_on: addWorkingDays(londonToday(), days),
      submission_key: submissionKey,
    })
    .onConflict((oc) => oc.columns(['from_agency_id', 'submission_key']).doNothing())
    .returning(['id', 'reference'])
    .executeTakeFirst();
  if (row) {
    // Consent the referral says was given is kept against the young person, for the agency it was given for.
    if (!input.transfer && basis.sharing_basis === 'consent' && basis.consent_by && basis.consent_on) {
      const service = await trx.selectFrom('service').select('provider_agency_id').where('id', '=', input.serviceId).executeTakeFirstOrThrow();
      await recordConsent(trx, by, { personId, toAgencyId: service.provider_agency_id, byWhom: basis.consent_by, decidedOn: basis.consent_on, purpose: `Referral ${row.reference}` });
    }
    return { ...row, created: true };
  }
  const existing = await trx.selectFrom('referral').select(['id', 'reference']).where('from_agency_id', '=', by.agencyId).where('submission_key', '=', submissionKey).executeTakeFirstOrThrow();
  return { ...existing, created: false };
}
