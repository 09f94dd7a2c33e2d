// The actions page: every open action across plans and meetings, by owning
// agency and due date, so an agency can see what it owes; and status updates.
import { claimVersion, orStale, STALE, staleError, versionRead } from '../../platform/versions.ts';
import type { FastifyInstance } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, str, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { londonToday } from '../../platform/time.ts';
import { ACTION_STATUSES, OPEN_STATUSES, isOverdue, readStatus } from './rules.ts';
import { findAction, openActions, partnerAgencies } from './queries.ts';

// Where a status form may send the user back to: only these pages, by id.
const RETURN_TO = /^\/(actions|urgent-responses\/[0-9a-f-]{36}\/plan|critical-incidents\/[0-9a-f-]{36}|meetings\/[0-9a-f-]{36}(\/items\/[0-9a-f-]{36})?)$/;

export function registerActions(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/actions',
    access: 'action.read',
    audit: 'action.list',
    handler: async (req, reply) => {
      const query = req.query as Body;
      const today = londonToday();
      const agencies = await partnerAgencies(app.db);
      const owner = str(query, 'owner');
      const ownerAgencyId = owner === 'mine' ? req.actor!.agencyId : agencies.find((a) => a.id === owner)?.id;
      const overdue = str(query, 'overdue') === 'yes';
      const actions = await transact(req, async (trx, audit) => {
        const actions = await openActions(trx, req.actor!, { ownerAgencyId, overdue, today });
        await audit({ recordType: 'action', detail: { shown: actions.length } });
        return actions;
      });
      const groups = new Map<string, typeof actions>();
      for (const a of actions) groups.set(a.owner_agency_name, [...(groups.get(a.owner_agency_name) ?? []), a]);
      return reply.page('actions/views/list.njk', {
        groups: [...groups.entries()].map(([agency, items]) => ({ agency, items })),
        total: actions.length,
        overdueCount: actions.filter((a) => isOverdue(a, today)).length,
        overdueIds: Object.fromEntries(actions.map((a) => [a.id, isOverdue(a, today)])),
        agencies,
        values: { owner, overdue: overdue ? 'yes' : '' },
        statuses: ACTION_STATUSES,
        openStatuses: OPEN_STATUSES,
      });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/actions/:id/status',
    access: 'action.update',
    audit: 'action.status',
    handler: async (req, reply) => {
      const actionId = (req.params as { id: string }).id;
      const action = isUuid(actionId) ? await findAction(app.db, req.actor!, actionId) : undefined;
      if (!action) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const status = readStatus(body, errors);
      const returnTo = RETURN_TO.test(str(body, 'returnTo')) ? str(body, 'returnTo') : '/actions';
      if (!status) return reply.code(400).page('actions/views/status.njk', { action, version: str(body, 'version'), errors, statuses: ACTION_STATUSES, returnTo });
      const saved = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'action', action.id, versionRead(body));
          await trx
            .updateTable('action')
            .set({ status, completed_at: status === 'done' ? new Date() : null })
            .where('id', '=', action.id)
            .execute();
          await audit({ recordType: 'action', recordId: action.id, detail: { reference: action.reference, from: action.status, to: status } });
        }),
      );
      if (saved === STALE) {
        errors.add('status', await staleError(app.db, { type: 'action', id: action.id, actions: ['action.status'] }, `action ${action.reference}`));
        return reply.code(409).page('actions/views/status.njk', { action, version: action.version, chosen: status, errors, statuses: ACTION_STATUSES, returnTo });
      }
      return reply.redirect(returnTo, 303);
    },
  });
}
