// "Who else may be at risk", from a person or from an incident, and adding
// someone on it to the next Daily Risk Management meeting in one step.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { personNamer } from '../people/naming.ts';
import { RECENCY_MONTHS, WALK_TYPES, readWalk } from './rules.ts';
import { whoElse } from './whoElse.ts';
import { seedsOf } from './picture.ts';
import { appendItem } from '../meetings/queries.ts';

type Subject = { kind: 'person' | 'incident'; id: string; title: string; back: string; seeds: string[] };

export function registerWhoElse(app: FastifyInstance): void {
  const nextDrm = (req: FastifyRequest) =>
    app.db
      .selectFrom('meeting')
      .select(['id', 'starts_at'])
      .where('agency_id', '=', req.actor!.agencyId)
      .where('type_code', '=', 'drm')
      .where('status', '=', 'planned')
      .where('starts_at', '>=', new Date(Date.now() - 12 * 3_600_000))
      .orderBy('starts_at')
      .executeTakeFirst();

  const show = async (req: FastifyRequest, reply: FastifyReply, subject: Subject) => {
    const errors = new FormErrors();
    const walk = readWalk(req.query as Body, errors);
    const name = await personNamer(req);
    const found = await transact(req, async (trx, audit) => {
      const found = await whoElse(trx, req.actor!, name, subject.seeds, walk.depth, { types: new Set(walk.types), since: walk.since });
      // Each person on the list is a read of their record through the network: recorded, without names.
      for (const c of found.contacts) await audit({ recordType: subject.kind, recordId: subject.id, personId: c.id, detail: { depth: c.depth } });
      if (!found.contacts.length) await audit({ recordType: subject.kind, recordId: subject.id, detail: { contacts: 0 } });
      return found;
    });
    const meeting = can(req.actor!.roles, 'meeting.run') ? await nextDrm(req) : undefined;
    return reply.code(errors.any ? 400 : 200).page('network/views/who-else.njk', {
      subject,
      ...found,
      walk,
      errors,
      walkTypes: WALK_TYPES,
      recency: RECENCY_MONTHS,
      meeting,
      canOpenPeople: can(req.actor!.roles, 'person.read') && name.identifies,
      identifies: name.identifies,
      added: str(req.query as Body, 'added') === '1',
    });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/people/:id/who-else',
    access: 'network.read',
    audit: 'network.who-else',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const person = isUuid(id) ? await app.db.selectFrom('person').select(['id', 'given_name', 'family_name']).where('id', '=', id).where('merged_into', 'is', null).executeTakeFirst() : undefined;
      if (!person) return notFound(req, reply);
      const name = await personNamer(req);
      return show(req, reply, { kind: 'person', id, title: name(person), back: name.identifies ? `/people/${id}` : '/network', seeds: [id] });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/incidents/:id/who-else',
    access: 'network.read',
    audit: 'network.who-else',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const incident = isUuid(id) ? await app.db.selectFrom('incident').select(['id', 'reference']).where('id', '=', id).where(incidentVisibleTo(req.actor!.agencyId)).executeTakeFirst() : undefined;
      if (!incident) return notFound(req, reply);
      const seeds = [...((await seedsOf(app.db, req.actor!, { kind: 'incident', id }))?.keys() ?? [])];
      return show(req, reply, { kind: 'incident', id, title: `incident ${incident.reference}`, back: `/incidents/${id}`, seeds });
    },
  });

  // One step from the list to the agenda: the person, why they are there (the path), and the incident if there is one.
  declareRoute(app, {
    method: 'POST',
    url: '/who-else/agenda',
    access: 'meeting.run',
    audit: 'meeting.add-item',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const personId = str(body, 'personId');
      const incidentId = str(body, 'incidentId') || null;
      const back = str(body, 'back');
      const meeting = await nextDrm(req);
      const person = isUuid(personId) ? await app.db.selectFrom('person').select(['id', 'given_name', 'family_name']).where('id', '=', personId).executeTakeFirst() : undefined;
      const incident = incidentId && isUuid(incidentId) ? await app.db.selectFrom('incident').select('id').where('id', '=', incidentId).where(incidentVisibleTo(req.actor!.agencyId)).executeTakeFirst() : null;
      if (!meeting || !person || (incidentId && !incident) || !/^\/(people|incidents)\/[0-9a-f-]{36}\/who-else(\?[\w=&%.-]*)?$/.test(back)) return notFound(req, reply);
      const why = text(body, 'why', new FormErrors(), { label: 'Why', max: 2000 }) ?? 'Linked to a young person after an incident';
      await transact(req, async (trx, audit) => {
        const item = await appendItem(trx, meeting.id, { rule: 'who_else', title: `Who else may be at risk: ${person.given_name} ${person.family_name}`, why: `Who else may be at risk: ${why}`, person_id: person.id, incident_id: incident?.id ?? null, added_by: req.actor!.userId });
        await audit({ recordType: 'meeting', recordId: meeting.id, personId: person.id, detail: { item: item.id } });
      });
      return reply.redirect(`${back}${back.includes('?') ? '&' : '?'}added=1`, 303);
    },
  });
}
