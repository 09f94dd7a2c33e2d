// Demo urgent responses, plans and meetings: a year of them at borough scale
// (so the figures page has history), the last fortnight still being worked,
// and yesterday's and tomorrow's Daily Risk Management meetings.
import { sql, type Insertable, type Kysely } from 'kysely';
import { bulkUpdate } from '../../db/bulk.ts';
import type { DB } from '../../db/schema.ts';
import { londonParts, londonToUtc } from '../../platform/time.ts';
import { openForIncidents } from '../urgent-response/queries.ts';
import { buildAgenda } from '../meetings/agenda.ts';
import type { Random } from './random.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const CHANNELS = ['phone', 'home', 'text', 'hospital', 'school'];

export async function seedUrgentResponses(db: Kysely<DB>, random: Random, now: Date, days: number, borough: string) {
  const since = new Date(now.getTime() - days * DAY);
  const incidents = await db.selectFrom('incident').select(['id', 'occurred_at', 'notified_at', 'type_code']).where('notified_at', '>=', since).where('borough_name', '=', borough).orderBy('notified_at').execute();
  await db.transaction().execute(async (trx) => {
    // A fortnight's incidents are opened together (the same rule as one at a time: a person's later incident
    // that fortnight links to the response its first opened), then worked; closures land before the next fortnight
    // opens, as they decide what opens next. A first start's largest cost was one statement per incident.
    const attempts: Insertable<DB['contact_attempt']>[] = [];
    for (let start = 0; start < incidents.length; ) {
      const fortnightEnds = new Date(incidents[start].notified_at).getTime() + 14 * DAY;
      let end = start;
      while (end < incidents.length && new Date(incidents[end].notified_at).getTime() < fortnightEnds) end++;
      const fortnight = incidents.slice(start, end);
      const byId = new Map(fortnight.map((i) => [i.id, i]));
      const changes: Changes = { custody: [], closed: [] };
      for (const response of await openForIncidents(trx, fortnight.map((i) => i.id), { userId: null })) {
        if (response.opened) work(random, now, response.id, byId.get(response.incidentId)!, attempts, changes);
      }
      await bulkUpdate(trx, 'urgent_response', { name: 'id', type: 'uuid' }, { source: 'text', custody_booked_at: 'timestamptz', custody_suite: 'text', custody_notified_at: 'timestamptz' }, changes.custody);
      await bulkUpdate(trx, 'urgent_response', { name: 'id', type: 'uuid' }, { status: 'text', closed_at: 'timestamptz', closure_reason: 'text' }, changes.closed);
      start = end;
    }
    for (let i = 0; i < attempts.length; i += 1000) await trx.insertInto('contact_attempt').values(attempts.slice(i, i + 1000)).execute();
  });
  await seedMeetings(db, random, now);
}

interface Changes {
  custody: { id: string; source: string; custody_booked_at: Date; custody_suite: string; custody_notified_at: Date | null }[];
  closed: { id: string; status: string; closed_at: Date; closure_reason: string }[];
}

/** What happened next: most reached in time, older ones closed, the newest still being worked. */
function work(random: Random, now: Date, id: string, incident: { occurred_at: Date; notified_at: Date; type_code: string }, attempts: Insertable<DB['contact_attempt']>[], changes: Changes) {
  const notified = new Date(incident.notified_at).getTime();
  const ageDays = (now.getTime() - notified) / DAY;
  if (['weapon_possession', 'pwits_arrest'].includes(incident.type_code) && random() < 0.6) {
    const booked = new Date(incident.occurred_at).getTime() + (0.5 + random()) * HOUR;
    const told = random() < 0.8 ? new Date(booked + (0.2 + random() * 0.7) * HOUR) : random() < 0.5 ? new Date(booked + (1 + random() * 3) * HOUR) : null;
    changes.custody.push({ id, source: 'custody', custody_booked_at: new Date(booked), custody_suite: 'Leyton custody suite', custody_notified_at: ageDays > 1 ? told : null });
  }
  if (ageDays < 3 && random() < 0.5) return;
  const tries = Math.max(1, Math.round(random() * 3));
  let reached = false;
  for (let i = 0; i < tries && !reached; i++) {
    const at = Math.min(now.getTime() - 60_000, notified + (1 + random() * (ageDays < 3 ? 20 : 40) + i * 12) * HOUR);
    reached = random() < (ageDays < 3 ? 0.5 : 0.75);
    attempts.push({ urgent_response_id: id, attempted_at: new Date(at), with_whom: random() < 0.6 ? 'parent_carer' : 'young_person', channel: CHANNELS[i % CHANNELS.length], outcome: reached ? 'reached' : 'no_answer' });
  }
  // The hospital, school or social worker is usually spoken to as well (seed 003 (b)).
  if (random() < 0.85) {
    const at = Math.min(now.getTime() - 60_000, notified + (2 + random() * 40) * HOUR);
    attempts.push({ urgent_response_id: id, attempted_at: new Date(at), with_whom: 'professional', channel: random() < 0.5 ? 'phone' : 'other_professional', outcome: 'reached' });
  }
  const close = ageDays > 14 || (ageDays > 4 && reached && random() < 0.8);
  if (!close) return;
  const reason = reached ? (random() < 0.8 ? 'supported' : random() < 0.7 ? 'declined' : 'moved_away') : tries >= 3 ? 'no_contact' : 'declined';
  changes.closed.push({ id, status: 'closed', closed_at: new Date(Math.min(now.getTime(), notified + (5 + random() * 20) * DAY)), closure_reason: reason });
}

/** Yesterday's DRM meeting, held, with actions (some not done), and tomorrow's with its agenda built. */
async function seedMeetings(db: Kysely<DB>, random: Random, now: Date) {
  const chair = await db
    .selectFrom('app_user')
    .innerJoin('agency', 'agency.id', 'app_user.agency_id')
    .select(['app_user.id', 'app_user.agency_id'])
    .where('agency.receives_incidents', '=', true)
    .where(sql<boolean>`app_user.roles @> ARRAY['coordinator']::text[]`)
    .executeTakeFirst();
  if (!chair) return;
  const type = await db.selectFrom('meeting_type').selectAll().where('code', '=', 'drm').executeTakeFirstOrThrow();
  const partners = await db.selectFrom('agency').select(['id', 'name']).orderBy('name').execute();
  const at = (daysFromNow: number) => {
    const p = londonParts(new Date(now.getTime() + daysFromNow * DAY));
    return londonToUtc({ year: p.year, month: p.month, day: p.day, hour: 9, minute: 30 })!;
  };
  await db.transaction().execute(async (trx) => {
    for (const [day, status] of [[-1, 'held'], [1, 'planned']] as const) {
      const meeting = await trx.insertInto('meeting').values({ type_code: 'drm', agency_id: chair.agency_id, starts_at: at(day), chair_id: chair.id, status, created_by: chair.id }).returning(['id', 'starts_at']).executeTakeFirstOrThrow();
      await buildAgenda(trx, { id: meeting.id, agency_id: chair.agency_id, type_code: 'drm', starts_at: new Date(meeting.starts_at), interval_days: type.interval_days }, type.agenda_rules, chair.id);
      if (status !== 'held') continue;
      await trx.insertInto('meeting_attendance').values(partners.map((p) => ({ meeting_id: meeting.id, agency_id: p.id, status: random() < 0.8 ? 'present' : 'apologies' }))).execute();
      const items = await trx.selectFrom('meeting_item').select(['id', 'title']).where('meeting_id', '=', meeting.id).orderBy('position').limit(6).execute();
      let n = 1;
      for (const item of items) {
        await trx.updateTable('meeting_item').set({ summary: 'Discussed; partners shared what they know.', decisions: 'Keep on the list until contact is made.' }).where('id', '=', item.id).execute();
        const owner = partners[Math.floor(random() * partners.length)];
        await trx
          .insertInto('action')
          .values({
            reference: `A-${String(n++).padStart(6, '0')}`,
            meeting_item_id: item.id,
            agency_id: chair.agency_id,
            description: random() < 0.5 ? 'Check school attendance and share with the lead worker' : 'Home visit with the family this week',
            owner_agency_id: owner.id,
            owner_name: 'Duty worker',
            due_on: new Date(now.getTime() + (random() < 0.5 ? -1 : 3) * DAY).toISOString().slice(0, 10),
            status: random() < 0.4 ? 'done' : 'not_started',
          })
          .execute();
      }
      await sql`SELECT setval('action_reference_seq', ${n})`.execute(trx);
    }
  });
}
