// Urgent response pages: the coordinator's list, most urgent clock first;
// each response with its clocks, incidents, contact attempts and closure.
import { claimVersion, orStale, STALE, staleError, versionRead } from '../../platform/versions.ts';
import { RESPONSE_CHANGES } from './page.ts';
import { orderKinds, orderName } from '../orders/queries.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NO_USER, declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, isUuid, str, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { PAGE_SIZE, listParams, pagination } from '../../platform/lists.ts';
import { CLOCK_LABELS, mostUrgent } from './clocks.ts';
import { CLOSURE_REASONS, SOURCES, readAttempt, readClosure } from './rules.ts';
import * as q from './queries.ts';
import { SECTIONS, labels, loadOpenResponsePage, loadResponsePage, renderResponsePage, sectionUrl, type Section } from './page.ts';

const STATE_FILTERS = ['breached', 'due_soon', 'due'] as const;
const id = (req: FastifyRequest) => (req.params as { id: string }).id;

export function registerUrgentResponses(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/urgent-responses',
    access: 'urgent_response.read',
    audit: 'urgent-response.list',
    handler: async (req, reply) => {
      const query = req.query as Body;
      const actor = req.actor!;
      const state = STATE_FILTERS.find((s) => s === str(query, 'state'));
      const source = Object.keys(SOURCES).find((s) => s === str(query, 'source'));
      const owner = str(query, 'owner');
      const ownerId = owner === 'mine' ? (actor.userId ?? undefined) : owner === 'none' || isUuid(owner) ? owner : undefined;
      const params = listParams(query, ['urgency'] as const, 'urgency');
      const now = new Date();
      const { items, counts, total } = await transact(req, async (trx, audit) => {
        const known = source || ownerId ? undefined : clockCountsOf.get(req);
        const result = await q.openResponses(trx, actor, { source, ownerId, state }, { limit: PAGE_SIZE, offset: params.offset }, now, known);
        await audit({ recordType: 'urgent_response', detail: { shown: result.items.length } });
        return result;
      });
      const echo = { state, source, owner: owner || undefined };
      return reply.page('urgent-response/views/list.njk', {
        items: items.map((row) => {
          const urgent = mostUrgent(q.clocksOf(row, now));
          return {
            id: row.id,
            reference: row.reference,
            name: `${row.given_name} ${row.family_name}`,
            source: SOURCES[row.source as keyof typeof SOURCES],
            owner: row.owner_name,
            clock: CLOCK_LABELS[urgent.kind],
            dueAt: urgent.dueAt,
            state: urgent.state,
          };
        }),
        counts,
        values: echo,
        sources: Object.entries(SOURCES).map(([value, text]) => ({ value, text })),
        pagination: pagination('/urgent-responses', echo, params, total),
      });
    },
  });

  const load = async (req: FastifyRequest, trx = app.db) => (isUuid(id(req)) ? q.findResponse(trx, req.actor!, id(req)) : undefined);

  // The summary and each part of the work: one route each, read alike.
  for (const [key, section] of Object.entries(SECTIONS)) {
    declareRoute(app, {
      method: 'GET',
      url: `/urgent-responses/:id${section.path}`,
      access: 'urgent_response.read',
      audit: 'urgent-response.view',
      handler: async (req, reply) => {
        const found = await transact(req, async (trx, audit) => {
          // Reading (not working on) an urgent response may be under an emergency-access grant: then it is audited as such.
          const page = await loadResponsePage(trx, req.actor!, id(req), { emergency: true });
          if (page) await audit({ recordType: 'urgent_response', recordId: page.response.id, personId: page.response.person_id, purpose: page.grant ? 'break_glass' : undefined, detail: key === 'summary' ? {} : { part: key } });
          return page;
        });
        if (!found) return notFound(req, reply);
        return renderResponsePage(app, req, reply, found, { emergencyUntil: found.grant?.expires_at }, key as Section);
      },
    });
  }


  declareRoute(app, {
    method: 'POST',
    url: '/urgent-responses/:id/attempts',
    access: 'urgent_response.work',
    audit: 'urgent-response.attempt',
    handler: async (req, reply) => {
      const found = await loadOpenResponsePage(app.db, req);
      if (!found) return notFound(req, reply);
      const errors = new FormErrors();
      const firstIncidentAt = found.incidents.length ? new Date(found.incidents[0].occurred_at) : new Date(found.response.notified_at);
      const attempt = readAttempt(req.body as Body, errors, firstIncidentAt);
      if (!attempt) return renderResponsePage(app, req, reply.code(400), found, { errors, values: req.body }, 'attempts');
      await transact(req, async (trx, audit) => {
        await q.addAttempt(trx, found.response.id, attempt, req.actor!.userId);
        await audit({ recordType: 'urgent_response', recordId: found.response.id, personId: found.response.person_id, detail: { withWhom: attempt.withWhom, channel: attempt.channel, outcome: attempt.outcome } });
      });
      return reply.redirect(sectionUrl(found.response.id, 'attempts'), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/urgent-responses/:id/owner',
    access: 'urgent_response.manage',
    audit: 'urgent-response.assign',
    handler: async (req, reply) => {
      const found = await loadOpenResponsePage(app.db, req);
      if (!found) return notFound(req, reply);
      const errors = new FormErrors();
      const body = req.body as Body;
      const ownerId = choice(body, 'ownerId', errors, (await q.assignableWorkers(app.db)).map((w) => w.id), 'Select a worker from the list');
      if (!ownerId) return renderResponsePage(app, req, reply.code(400), found, { errors });
      const saved = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'urgent_response', found.response.id, versionRead(body));
          await trx.updateTable('urgent_response').set({ owner_id: ownerId }).where('id', '=', found.response.id).execute();
          await audit({ recordType: 'urgent_response', recordId: found.response.id, personId: found.response.person_id, detail: { owner: ownerId } });
        }),
      );
      if (saved === STALE) {
        errors.add('ownerId', await staleError(app.db, { type: 'urgent_response', id: found.response.id, actions: RESPONSE_CHANGES }, 'urgent response'));
        return renderResponsePage(app, req, reply.code(409), found, { errors, values: body });
      }
      return reply.redirect(`/urgent-responses/${found.response.id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/urgent-responses/:id/close',
    access: 'urgent_response.manage',
    audit: null,
    handler: async (req, reply) => {
      const response = await load(req);
      if (!response || response.status !== 'open') return notFound(req, reply);
      return reply.page('urgent-response/views/close.njk', { response, reasons: CLOSURE_REASONS, values: { version: response.version } });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/urgent-responses/:id/close',
    access: 'urgent_response.manage',
    audit: 'urgent-response.close',
    handler: async (req, reply) => {
      const response = await load(req);
      if (!response || response.status !== 'open') return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const closure = readClosure(body, errors, await q.attemptsOf(app.db, response.id));
      if (!closure) return reply.code(400).page('urgent-response/views/close.njk', { response, reasons: CLOSURE_REASONS, errors, values: body });
      const closed = await transact(req, async (trx, audit) => {
        const result = await trx
          .updateTable('urgent_response')
          .set({ status: 'closed', closed_at: new Date(), closed_by: req.actor!.userId, closure_reason: closure.reason, closure_note: closure.note, version: response.version + 1 })
          .where('id', '=', response.id)
          .where('version', '=', Number(str(body, 'version')))
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) return false;
        await audit({ recordType: 'urgent_response', recordId: response.id, personId: response.person_id, detail: { reason: closure.reason } });
        return true;
      });
      if (!closed) {
        errors.add('reason', 'Someone else changed this urgent response while you were closing it. Nothing was saved: check it and try again.');
        return reply.code(409).page('urgent-response/views/close.njk', { response, reasons: CLOSURE_REASONS, errors, values: { ...body, version: response.version } });
      }
      return reply.redirect(`/urgent-responses/${response.id}`, 303);
    },
  });
}


/** The badge's counts for this request, which the list reuses when it shows every open response the user may see. */
const clockCountsOf = new WeakMap<object, Awaited<ReturnType<typeof q.clockCounts>>>();

/**
 * Breaches must be impossible to miss (DESIGN.md): every page a user who
 * works urgent responses opens counts the breached clocks they can see, shown
 * as a badge on the menu's Responses entry.
 */
export function registerBreachBadge(app: FastifyInstance): void {
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'GET' || reply.sent || req.routeOptions.config.api || !req.actor || !can(req.actor.roles, 'urgent_response.read')) return;
    const counts = await q.clockCounts(app.db, req.actor, {}, new Date());
    const { breached } = counts;
    clockCountsOf.set(req, counts);
    req.navBadges = [{ group: 'Responses', count: breached, words: `urgent response${breached === 1 ? '' : 's'} with a clock breached` }];
  });
}

/** The in-app outbox: the clock reminders, possible breaches of orders and critical incidents declared, raised for the signed-in user (only ever their own). */
export function registerNotifications(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/notifications',
    access: 'signed-in',
    audit: null,
    handler: async (req, reply) => {
      const notifications = await app.db
        .selectFrom('notification')
        .leftJoin('urgent_response', 'urgent_response.id', 'notification.urgent_response_id')
        .leftJoin('possible_breach', 'possible_breach.id', 'notification.possible_breach_id')
        .leftJoin('court_order', 'court_order.id', 'possible_breach.order_id')
        .leftJoin('critical_incident', 'critical_incident.id', 'notification.critical_incident_id')
        .leftJoin('missing_episode', 'missing_episode.id', 'notification.missing_episode_id')
        .leftJoin('sharing_agreement', 'sharing_agreement.id', 'notification.sharing_agreement_id')
        .leftJoin('break_glass', 'break_glass.id', 'notification.break_glass_id')
        .leftJoin('app_user as glass_user', 'glass_user.id', 'break_glass.user_id')
        .select(['break_glass.id as glass_id', 'break_glass.reference as glass_reference', 'break_glass.reviewed_at as glass_reviewed_at', 'glass_user.display_name as glass_user', 'sharing_agreement.id as agreement_id', 'sharing_agreement.title as agreement_title', 'sharing_agreement.review_on as agreement_review_on', 'notification.created_at', 'notification.clock', 'notification.event', 'urgent_response.id', 'urgent_response.reference', 'urgent_response.status', 'possible_breach.id as breach_id', 'possible_breach.decision', 'court_order.kind_code', 'court_order.interim', 'critical_incident.id as critical_id', 'critical_incident.reference as critical_reference', 'critical_incident.closed_at as critical_closed_at', 'missing_episode.id as missing_id', 'missing_episode.reference as missing_reference', 'missing_episode.interview_offered_at'])
        .where('notification.recipient_id', '=', req.actor!.userId ?? NO_USER)
        .orderBy('notification.created_at', 'desc')
        .limit(100)
        .execute();
      const kinds = await orderKinds(app.db);
      return reply.page('urgent-response/views/notifications.njk', { notifications: notifications.map((n) => ({ ...n, order: n.breach_id ? orderName(kinds, n) : null })), labels });
    },
  });
}
