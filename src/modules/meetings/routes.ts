// Meetings: the Daily Risk Management meeting and panels. Planning one builds
// its agenda; the meeting page holds attendance, the items with their
// summary, decisions and actions; the minutes print one page per item.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { attachedPack } from '../products/operations.ts';
import { FormErrors, choice, dateInput, isUuid, londonInstant, str, type Body } from '../../platform/forms.ts';
import { STALE, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { formatDateTime, londonParts, londonToday } from '../../platform/time.ts';
import { actionsOfMeeting, partnerAgencies } from '../actions/queries.ts';
import { ACTION_STATUSES, isOverdue } from '../actions/rules.ts';
import { AGENDA_RULES, buildAgenda } from './agenda.ts';
import { ruleLabel, settingsOf } from './agendaRule.ts';
import { ATTENDANCE, readAttendance, recordAttendance } from './attendance.ts';
import { saveChange } from '../../platform/changes.ts';
import { attendanceOf, findMeeting, itemsOf, listMeetings, meetingTypes, quorate, type MeetingRow } from './queries.ts';
import { registerMeetingItems } from './itemRoutes.ts';
import { registerMeetingTypes } from './typeRoutes.ts';
import { registerPanelReferrals } from './referralRoutes.ts';
import { describeRules, mayPlan } from './types.ts';

const id = (req: FastifyRequest) => (req.params as { id: string }).id;

export function registerMeetings(app: FastifyInstance): void {
  // The types this agency may plan: any agency's, or those its agency chairs.
  const plannable = async (req: FastifyRequest) => (await meetingTypes(app.db)).filter((t) => mayPlan(t, req.actor!.agencyId));
  const planForm = async (req: FastifyRequest, reply: FastifyReply, data: Record<string, unknown>) => {
    const types = (await plannable(req)).map((t) => ({ ...t, rules: describeRules(t) }));
    return reply.page('meetings/views/list.njk', { types, ...data });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/meetings',
    access: 'meeting.read',
    audit: null,
    handler: async (req, reply) => {
      const tomorrow = londonParts(new Date(Date.now() + 86_400_000));
      const meetings = await listMeetings(app.db, req.actor!);
      return planForm(req, reply, { meetings, values: { 'date-day': tomorrow.day, 'date-month': tomorrow.month, 'date-year': tomorrow.year } });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/meetings',
    access: 'meeting.run',
    audit: 'meeting.plan',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const types = await plannable(req);
      const typeCode = choice(body, 'type', errors, types.map((t) => t.code), 'Select the kind of meeting');
      const date = dateInput(body, 'date', errors, { label: 'Date of the meeting', required: true, minYear: 2000 });
      const type = types.find((t) => t.code === typeCode);
      // Blank: the meeting's usual time.
      const startsAt = date && type ? londonInstant(date, str(body, 'time') || type.default_time, errors, 'time', 'the meeting') : null;
      if (errors.any || !type || !startsAt) return planForm(req, reply.code(400), { meetings: await listMeetings(app.db, req.actor!), errors, values: body });
      const meetingId = await transact(req, async (trx, audit) => {
        const row = await trx
          .insertInto('meeting')
          .values({ type_code: type.code, agency_id: req.actor!.agencyId, starts_at: startsAt, chair_id: req.actor!.userId, created_by: req.actor!.userId })
          .onConflict((oc) => oc.columns(['type_code', 'agency_id', 'starts_at']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) return null;
        const added = await buildAgenda(trx, { id: row.id, agency_id: req.actor!.agencyId, type_code: type.code, starts_at: startsAt, interval_days: type.interval_days, rule_settings: type.rule_settings }, type.agenda_rules, req.actor!.userId);
        await audit({ recordType: 'meeting', recordId: row.id, detail: { type: type.code, itemsAdded: added } });
        return row.id;
      });
      if (!meetingId) {
        errors.add('date-day', `There is already a ${type.name} at that date and time`);
        return planForm(req, reply.code(400), { meetings: await listMeetings(app.db, req.actor!), errors, values: body });
      }
      return reply.redirect(`/meetings/${meetingId}`, 303);
    },
  });

  const load = (req: FastifyRequest, db = app.db) => (isUuid(id(req)) ? findMeeting(db, req.actor!, id(req)) : Promise.resolve(undefined));

  declareRoute(app, {
    method: 'GET',
    url: '/meetings/:id',
    access: 'meeting.read',
    audit: 'meeting.view',
    handler: async (req, reply) => {
      const meeting = await load(req);
      if (!meeting) return notFound(req, reply);
      return showMeeting(app, req, reply, meeting, 'meetings/views/show.njk', {});
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/meetings/:id/minutes',
    access: 'meeting.read',
    audit: 'meeting.minutes',
    handler: async (req, reply) => {
      const meeting = await load(req);
      if (!meeting) return notFound(req, reply);
      return showMeeting(app, req, reply, meeting, 'meetings/views/minutes.njk', {});
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/meetings/:id/agenda',
    access: 'meeting.run',
    audit: 'meeting.build-agenda',
    handler: async (req, reply) => {
      const meeting = await load(req);
      if (!meeting || meeting.status === 'held') return notFound(req, reply);
      await transact(req, async (trx, audit) => {
        const added = await buildAgenda(trx, meeting, meeting.agenda_rules, req.actor!.userId);
        await audit({ recordType: 'meeting', recordId: meeting.id, detail: { itemsAdded: added } });
      });
      return reply.redirect(`/meetings/${meeting.id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/meetings/:id/attendance',
    access: 'meeting.run',
    audit: 'meeting.attendance',
    handler: async (req, reply) => {
      const meeting = await load(req);
      if (!meeting) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const agencies = await partnerAgencies(app.db);
      const marks = readAttendance(body, errors, agencies);
      if (!marks) return showMeeting(app, req, reply.code(400), meeting, 'meetings/views/show.njk', { errors, values: body });
      return saveChange(req, reply, {
        run: async (trx, audit) => {
          const out = await recordAttendance(trx, meeting, versionRead(body), marks);
          if (out === 'recorded') await audit({ recordType: 'meeting', recordId: meeting.id, detail: { agencies: marks.length, present: marks.filter((m) => m.status === 'present').length } });
          return out;
        },
        record: { type: 'meeting', id: meeting.id, actions: MEETING_CHANGES },
        what: 'meeting',
        field: agencies[0] ? `attendance-${agencies[0].id}` : 'attendance',
        errors,
        again: async (code, stale) => {
          const shown = stale ? await load(req) : meeting;
          return shown ? showMeeting(app, req, reply.code(code), shown, 'meetings/views/show.njk', { errors, values: body }) : notFound(req, reply);
        },
        then: `/meetings/${meeting.id}#attendance`,
      });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/meetings/:id/held',
    access: 'meeting.run',
    audit: 'meeting.held',
    handler: async (req, reply) => {
      const meeting = await load(req);
      if (!meeting) return notFound(req, reply);
      // A meeting is held on or after the day it was planned for, never before (issue 18).
      if (londonToday(new Date(meeting.starts_at)) > londonToday()) {
        const errors = new FormErrors();
        errors.add('held', `This meeting is planned for ${formatDateTime(meeting.starts_at)}: it cannot be marked as held before that day`);
        return showMeeting(app, req, reply.code(400), meeting, 'meetings/views/show.njk', { errors });
      }
      if (!quorate(await attendanceOf(app.db, meeting), meeting.quorum)) {
        const errors = new FormErrors();
        errors.add('held', `This meeting needs ${meeting.quorum} agencies present to be quorate: record attendance first`);
        return showMeeting(app, req, reply.code(400), meeting, 'meetings/views/show.njk', { errors });
      }
      const saved = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'meeting', meeting.id, versionRead(req.body as Body));
          await trx.updateTable('meeting').set({ status: 'held' }).where('id', '=', meeting.id).execute();
          await audit({ recordType: 'meeting', recordId: meeting.id });
        }),
      );
      if (saved === STALE) return refuseStaleMeeting(app, req, reply, load, 'held');
      return reply.redirect(`/meetings/${meeting.id}`, 303);
    },
  });

  registerMeetingItems(app, load);
  registerMeetingTypes(app);
  registerPanelReferrals(app);
}

/** The changes that move a meeting's version on: who made the latest is named when a save is refused. */
const MEETING_CHANGES = ['meeting.attendance', 'meeting.held', 'meeting.reorder'];

/** A change from a meeting page someone else has changed since: the page again, fresh, with who changed it and the user's entries kept. */
export async function refuseStaleMeeting(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, load: (req: FastifyRequest) => Promise<MeetingRow | undefined>, field: string, values?: Body) {
  const fresh = await load(req);
  if (!fresh) return notFound(req, reply);
  const errors = new FormErrors();
  errors.add(field, await staleError(app.db, { type: 'meeting', id: fresh.id, actions: MEETING_CHANGES }, 'meeting'));
  return showMeeting(app, req, reply.code(409), fresh, 'meetings/views/show.njk', { errors, ...(values ? { values } : {}) });
}

/** The meeting with its attendance, items and actions, read and audited together. */
export async function showMeeting(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, meeting: MeetingRow, view: string, data: Record<string, unknown>) {
  const { items, actions, attendance } = await transact(req, async (trx, audit) => {
    const [items, actions, attendance] = await Promise.all([itemsOf(trx, meeting.id), actionsOfMeeting(trx, meeting.id), attendanceOf(trx, meeting)]);
    const one = data.itemId ? items.find((i) => i.id === data.itemId) : undefined;
    await audit({ recordType: 'meeting', recordId: meeting.id, personId: one?.person_id ?? undefined, detail: one ? { item: one.id } : { items: items.length } });
    return { items, actions, attendance };
  });
  const today = londonToday();
  const values = (data.values as Body) ?? Object.fromEntries(attendance.flatMap((a) => (a.record ? [[`attendance-${a.id}`, a.record.status], [`attendees-${a.id}`, a.record.attendees ?? '']] : [])));
  const shown = items.map((item) => ({ ...item, actions: actions.filter((a) => a.meeting_item_id === item.id) }));
  // One item's page: it, its number, and the items either side to move through the meeting.
  const at = data.itemId ? shown.findIndex((i) => i.id === data.itemId) : -1;
  return reply.page(view, {
    meeting,
    items: shown,
    ...(at >= 0 ? { item: shown[at], number: at + 1, previous: shown[at - 1] ?? null, next: shown[at + 1] ?? null } : {}),
    attendance,
    ruleLabels: Object.fromEntries(Object.entries(AGENDA_RULES).map(([k, r]) => [k, ruleLabel(r, settingsOf(r, meeting.rule_settings, k))])),
    quorum: meeting.quorum ? { needed: meeting.quorum, present: attendance.filter((a) => a.record?.status === 'present').length } : null,
    attendanceLabels: ATTENDANCE,
    statuses: ACTION_STATUSES,
    overdue: Object.fromEntries(actions.map((a) => [a.id, isOverdue(a, today)])),
    agencies: await partnerAgencies(app.db),
    canRun: can(req.actor!.roles, 'meeting.run'),
    planned: meeting.status === 'planned',
    // The intelligence pack made for this meeting (issue 25), shown to those its audience includes.
    pack: await attachedPack(app.db, meeting.id, req.actor!),
    ...data,
    values,
  });
}
