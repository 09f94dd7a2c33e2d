// Episodes of casework in SQL. An episode is seen by the agency doing the
// work and by the agency that referred; each note within it only at its
// visibility level: everyone who sees the episode, the author's agency, or
// the author and the lead worker alone. Every page, search, export and API
// answer reads notes through `notesFor`, so the levels hold everywhere.
import { plannedEnd } from './rules.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NO_USER, type RequestActor } from '../../platform/routes.ts';
import { addDays } from '../../platform/workingDays.ts';
import type { ReferralRow } from '../referrals/queries.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Episodes an agency sees: its own, and those that came from its referrals. */
export function episodeVisibleTo(agencyId: string) {
  return sql<boolean>`(episode.agency_id = ${agencyId} OR EXISTS (SELECT 1 FROM referral r WHERE r.id = episode.referral_id AND r.from_agency_id = ${agencyId}))`;
}

export function noteVisibleTo(actor: Pick<RequestActor, 'agencyId' | 'userId'>) {
  const user = actor.userId ?? NO_USER;
  return sql<boolean>`(episode_note.visibility = 'all'
    OR (episode_note.visibility = 'agency' AND EXISTS (SELECT 1 FROM app_user a WHERE a.id = episode_note.author_id AND a.agency_id = ${actor.agencyId}))
    OR (episode_note.visibility = 'restricted' AND ${user}::uuid IN (episode_note.author_id, episode.lead_worker_id)))`;
}

export function episodeQuery(db: Db) {
  return db
    .selectFrom('episode')
    .innerJoin('service', 'service.id', 'episode.service_id')
    .innerJoin('agency', 'agency.id', 'episode.agency_id')
    .innerJoin('app_user as worker', 'worker.id', 'episode.lead_worker_id')
    .innerJoin('referral', 'referral.id', 'episode.referral_id')
    .innerJoin('person', 'person.id', 'episode.person_id')
    .selectAll('episode')
    .select([
      'service.name as service_name',
      'service.planned_weeks',
      'agency.name as agency_name',
      'worker.display_name as worker_name',
      'referral.reference as referral_reference',
      'referral.sharing_basis',
      'person.given_name',
      'person.family_name',
      'person.date_of_birth',
    ]);
}

export function findEpisode(db: Db, actor: Pick<RequestActor, 'agencyId'>, id: string) {
  return episodeQuery(db).where('episode.id', '=', id).where(episodeVisibleTo(actor.agencyId)).executeTakeFirst();
}
export type EpisodeRow = NonNullable<Awaited<ReturnType<typeof findEpisode>>>;

/** The notes on an episode the actor may see, newest first; `containing` searches their text. */
export function notesFor(db: Db, actor: Pick<RequestActor, 'agencyId' | 'userId'>, episodeId: string, containing?: string) {
  let q = db
    .selectFrom('episode_note')
    .innerJoin('episode', 'episode.id', 'episode_note.episode_id')
    .innerJoin('app_user as author', 'author.id', 'episode_note.author_id')
    .innerJoin('agency', 'agency.id', 'author.agency_id')
    .select(['episode_note.id', 'episode_note.kind', 'episode_note.method', 'episode_note.happened_at', 'episode_note.body', 'episode_note.visibility', 'episode_note.recorded_at', 'author.display_name as author_name', 'agency.name as author_agency'])
    .where('episode_note.episode_id', '=', episodeId)
    .where(noteVisibleTo(actor));
  if (containing) q = q.where(sql<boolean>`episode_note.body ILIKE ${'%' + containing.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}`);
  return q.orderBy('episode_note.happened_at', 'desc').orderBy('episode_note.recorded_at', 'desc').execute();
}

export function goalsOf(db: Db, episodeId: string) {
  return db.selectFrom('episode_goal').selectAll().where('episode_id', '=', episodeId).orderBy('set_at').execute();
}

export function measuresOf(db: Db, episodeId: string) {
  return db.selectFrom('outcome_measure').selectAll().where('episode_id', '=', episodeId).orderBy('stage', 'desc').execute();
}

/** Opens the episode an accepted referral leads to. A transfer closes the case it came from, in the same transaction. */
export async function startEpisode(trx: Transaction<DB>, referral: ReferralRow, start: { leadWorkerId: string; startedOn: string; reviewOn: string }) {
  const episode = await trx
    .insertInto('episode')
    .values({
      person_id: referral.person_id,
      service_id: referral.service_id,
      agency_id: referral.provider_agency_id,
      referral_id: referral.id,
      lead_worker_id: start.leadWorkerId,
      started_on: start.startedOn,
      planned_end_on: referral.planned_weeks ? addDays(start.startedOn, referral.planned_weeks * 7) : plannedEnd(start.startedOn, null),
      review_on: start.reviewOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.updateTable('referral').set({ status: 'started', version: sql`version + 1` }).where('id', '=', referral.id).execute();
  if (referral.is_transfer && referral.from_episode_id) {
    // Closed by the transfer, not from its page: its version moves on, so a form open on it is refused.
    await trx.updateTable('episode').set({ version: sql`version + 1` }).where('id', '=', referral.from_episode_id).execute();
    await closeEpisode(trx, referral.from_episode_id, { outcome: 'transferred', closedOn: start.startedOn, note: `Transferred to ${referral.service_name} (${referral.reference})` }, null);
  }
  return episode.id;
}

/** Closes an episode with its outcome, and ends the referral that opened it. The caller claims (or moves on) the episode's version. */
export async function closeEpisode(trx: Transaction<DB>, episodeId: string, close: { outcome: 'completed' | 'disengaged' | 'moved' | 'transferred'; closedOn: string; note: string | null }, userId: string | null) {
  const closed = await trx
    .updateTable('episode')
    .set({ closed_on: close.closedOn, outcome: close.outcome, closure_note: close.note, closed_by: userId })
    .where('id', '=', episodeId)
    .where('closed_on', 'is', null)
    .returning('referral_id')
    .executeTakeFirst();
  if (!closed) return false;
  await trx
    .updateTable('referral')
    .set({ status: 'ended', end_reason: close.outcome === 'transferred' ? null : close.outcome, status_reason: close.outcome === 'transferred' ? close.note : null, version: sql`version + 1` })
    .where('id', '=', closed.referral_id)
    .execute();
  return true;
}

/** Caseworkers and coordinators of an agency: who may lead its episodes. */
export function agencyWorkers(db: Db, agencyId: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('agency_id', '=', agencyId)
    .where('disabled_at', 'is', null)
    .where(sql<boolean>`roles && ARRAY['caseworker', 'coordinator']::text[]`)
    .orderBy('display_name')
    .execute();
}
