// A meeting's items: the chair adds and reorders them; for each, the
// summary, decisions and actions agreed (each action with an owner).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { readAction } from '../actions/rules.ts';
import { giveAction, partnerAgencies } from '../actions/queries.ts';
import { appendItem, type MeetingRow } from './queries.ts';
import { refuseStaleMeeting, showMeeting } from './routes.ts';
import { STALE, claimVersion, orStale, versionRead } from '../../platform/versions.ts';
import { londonToday } from '../../platform/time.ts';
import { planReviewsOf, recordPlanReview } from '../exploitation/queries.ts';
import { CRITERION_MARKS, PLAN_CRITERIA, RATINGS, REREVIEW_DAYS, readPlanReview } from '../exploitation/rules.ts';

type Load = (req: FastifyRequest) => Promise<MeetingRow | undefined>;
const itemId = (req: FastifyRequest) => (req.params as { itemId: string }).itemId;

export function registerMeetingItems(app: FastifyInstance, load: Load): void {
  const withItem = async (req: FastifyRequest) => {
    const meeting = await load(req);
    if (!meeting || !isUuid(itemId(req))) return undefined;
    const item = await app.db.selectFrom('meeting_item').selectAll().where('id', '=', itemId(req)).where('meeting_id', '=', meeting.id).executeTakeFirst();
    return item ? { meeting, item } : undefined;
  };
  const back = (meetingId: string, itemId?: string) => `/meetings/${meetingId}${itemId ? `#item-${itemId}` : ''}`;
  const itemPage = (meetingId: string, itemId: string) => `/meetings/${meetingId}/items/${itemId}`;
  // An item about an urgent response, at a meeting that quality-assures risk plans, carries the plan's reviews and the form.
  const showItem = async (req: FastifyRequest, reply: FastifyReply, meeting: MeetingRow, item: { id: string; urgent_response_id?: string | null }, data: Record<string, unknown> = {}) => {
    const assures = meeting.agenda_rules.includes('risk_plans_due') && item.urgent_response_id;
    const planReview = assures ? { reviews: await planReviewsOf(app.db, item.urgent_response_id!), criteria: PLAN_CRITERIA, marks: CRITERION_MARKS, ratings: RATINGS, rereviewDays: REREVIEW_DAYS } : null;
    return showMeeting(app, req, reply, meeting, 'meetings/views/item.njk', { ...data, itemId: item.id, planReview });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/meetings/:id/items/:itemId',
    access: 'meeting.read',
    audit: 'meeting.view',
    handler: async (req, reply) => {
      const found = await withItem(req);
      if (!found) return notFound(req, reply);
      return showItem(req, reply, found.meeting, found.item);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/meetings/:id/items',
    access: 'meeting.run',
    audit: 'meeting.add-item',
    handler: async (req, reply) => {
      const meeting = await load(req);
      if (!meeting || meeting.status === 'held') return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const title = text(body, 'itemTitle', errors, { label: 'Item', required: true, max: 300, missing: 'Enter what the item is about' });
      const why = text(body, 'itemWhy', errors, { label: 'Why it is on the agenda', required: true, max: 2000, missing: 'Say why it is on the agenda' });
      if (!title || !why) return showMeeting(app, req, reply.code(400), meeting, 'meetings/views/show.njk', { errors, values: body });
      await transact(req, async (trx, audit) => {
        const row = await appendItem(trx, meeting.id, { rule: 'chair', title, why, added_by: req.actor!.userId });
        await audit({ recordType: 'meeting', recordId: meeting.id, detail: { item: row.id } });
      });
      return reply.redirect(back(meeting.id), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/meetings/:id/items/:itemId/move',
    access: 'meeting.run',
    audit: 'meeting.reorder',
    handler: async (req, reply) => {
      const found = await withItem(req);
      if (!found || found.meeting.status === 'held') return notFound(req, reply);
      const { meeting, item } = found;
      const up = str(req.body as Body, 'direction') === 'up';
      const moved = await orStale(
        transact(req, async (trx, audit) => {
        await claimVersion(trx, 'meeting', meeting.id, versionRead(req.body as Body));
        const neighbour = await trx
          .selectFrom('meeting_item')
          .select(['id', 'position'])
          .where('meeting_id', '=', meeting.id)
          .where('position', up ? '<' : '>', item.position)
          .orderBy('position', up ? 'desc' : 'asc')
          .limit(1)
          .executeTakeFirst();
        if (!neighbour) return;
        await trx.updateTable('meeting_item').set({ position: neighbour.position }).where('id', '=', item.id).execute();
        await trx.updateTable('meeting_item').set({ position: item.position }).where('id', '=', neighbour.id).execute();
        await audit({ recordType: 'meeting', recordId: meeting.id, detail: { item: item.id, direction: up ? 'up' : 'down' } });
        }),
      );
      if (moved === STALE) return refuseStaleMeeting(app, req, reply, load, `item-${item.id}`);
      return reply.redirect(back(meeting.id, item.id), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/meetings/:id/items/:itemId',
    access: 'meeting.run',
    audit: 'meeting.minute',
    handler: async (req, reply) => {
      const found = await withItem(req);
      if (!found) return notFound(req, reply);
      const { meeting, item } = found;
      const body = req.body as Body;
      const errors = new FormErrors();
      const summary = text(body, `summary-${item.id}`, errors, { label: 'Summary', max: 8000 });
      const decisions = text(body, `decisions-${item.id}`, errors, { label: 'Decisions', max: 8000 });
      if (errors.any) return showItem(req, reply.code(400), meeting, item, { errors, values: body });
      const saved = await transact(req, async (trx, audit) => {
        const result = await trx
          .updateTable('meeting_item')
          .set({ summary, decisions, version: item.version + 1 })
          .where('id', '=', item.id)
          .where('version', '=', Number(str(body, 'version')))
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) return false;
        await audit({ recordType: 'meeting', recordId: meeting.id, personId: item.person_id, detail: { item: item.id } });
        return true;
      });
      if (!saved) {
        errors.add(`summary-${item.id}`, 'Someone else changed this item while you were writing. Nothing was saved: your words are below, check the item and save again.');
        return showItem(req, reply.code(409), meeting, item, { errors, values: body });
      }
      return reply.redirect(itemPage(meeting.id, item.id), 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/meetings/:id/items/:itemId/actions',
    access: 'meeting.run',
    audit: null,
    handler: async (req, reply) => {
      const found = await withItem(req);
      if (!found) return notFound(req, reply);
      return reply.page('meetings/views/action.njk', { ...found, agencies: await partnerAgencies(app.db), values: {} });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/meetings/:id/items/:itemId/actions',
    access: 'meeting.run',
    audit: 'meeting.action',
    handler: async (req, reply) => {
      const found = await withItem(req);
      if (!found) return notFound(req, reply);
      const { meeting, item } = found;
      const body = req.body as Body;
      const errors = new FormErrors();
      const agencies = await partnerAgencies(app.db);
      const action = readAction(body, errors, agencies.map((a) => a.id));
      const showErrors = () => reply.code(400).page('meetings/views/action.njk', { meeting, item, agencies, errors, values: body });
      if (!action) return showErrors();
      const saved = await transact(req, async (trx, audit) => {
        const given = await giveAction(trx, action, { agencyId: meeting.agency_id, urgentResponseId: item.urgent_response_id, personId: item.person_id, meetingItemId: item.id }, req.actor!.userId);
        await audit({ recordType: 'meeting', recordId: meeting.id, personId: item.person_id, outcome: 'refused' in given ? 'denied' : 'allowed', detail: 'refused' in given ? { item: item.id, reason: given.refused === 'agreement' ? 'no data sharing agreement' : 'no consent or confirmed lawful basis' } : { item: item.id, action: given.reference } });
        return given;
      });
      if ('refused' in saved) {
        errors.add('actionAgency', saved.refused === 'agreement' ? `Nothing was saved: ${saved.words}` : 'Nothing was saved: giving an action to another agency shares the young person with it, so it needs the young person’s or family’s consent, or a lawful basis confirmed by a second person, recorded first (on their record, under Sharing, or on their urgent response)');
        return showErrors();
      }
      return reply.redirect(itemPage(meeting.id, item.id), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/meetings/:id/items/:itemId/plan-review',
    access: 'meeting.run',
    audit: 'meeting.plan-review',
    handler: async (req, reply) => {
      const found = await withItem(req);
      if (!found || !found.item.urgent_response_id || !found.meeting.agenda_rules.includes('risk_plans_due')) return notFound(req, reply);
      const { meeting, item } = found;
      const body = req.body as Body;
      const errors = new FormErrors();
      const review = readPlanReview(body, errors, londonToday(new Date(meeting.starts_at)));
      if (!review) return showItem(req, reply.code(400), meeting, item, { errors, values: body });
      await transact(req, async (trx, audit) => {
        await recordPlanReview(trx, { agencyId: req.actor!.agencyId, userId: req.actor!.userId }, { ...review, urgentResponseId: item.urgent_response_id!, meetingItemId: item.id });
        await audit({ recordType: 'urgent_response', recordId: item.urgent_response_id!, personId: item.person_id ?? undefined, detail: { rating: review.rating, rereviewOn: review.rereviewOn } });
      });
      return reply.redirect(itemPage(meeting.id, item.id), 303);
    },
  });
}
