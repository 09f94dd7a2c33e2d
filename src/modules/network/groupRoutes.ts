// Groups (peer groups, street gangs, organised crime groups) and the
// partnership's named places; the networks hub page.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, isUuid, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { londonToday } from '../../platform/time.ts';
import { boroughAt, toBritishNationalGrid } from '../../analysis/geography.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { personNamer } from '../people/naming.ts';
import { GROUP_KINDS, PLACE_KINDS, readGroup, type PlaceKind } from './rules.ts';
import { createGroup, groups, linksOf, places } from './queries.ts';
import { describeLink } from './describe.ts';
import { linkLabels, registerLinkPages, type LinkSubject } from './linkRoutes.ts';

export function registerGroups(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/network',
    access: 'network.read',
    audit: null,
    handler: async (req, reply) => reply.page('network/views/hub.njk', { groups: await groups(app.db), kinds: GROUP_KINDS, canRecord: can(req.actor!.roles, 'network.record'), canContexts: can(req.actor!.roles, 'context.read') }),
  });

  declareRoute(app, {
    method: 'GET',
    url: '/groups/new',
    access: 'network.record',
    audit: null,
    handler: async (_req, reply) => reply.page('network/views/group-new.njk', { kinds: GROUP_KINDS, values: {} }),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/groups',
    access: 'network.record',
    audit: 'network.change',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readGroup(body, errors);
      if (input && (await app.db.selectFrom('network_group').select('id').where(sql<boolean>`lower(name) = lower(${input.name})`).executeTakeFirst())) errors.add('name', 'A group with this name is already recorded');
      if (!input || errors.any) return reply.code(400).page('network/views/group-new.njk', { kinds: GROUP_KINDS, values: body, errors });
      const id = await transact(req, async (trx, audit) => {
        const id = await createGroup(trx, req.actor!, input);
        await audit({ recordType: 'network_group', recordId: id, detail: { created: true } });
        return id;
      });
      return reply.redirect(`/groups/${id}`, 303);
    },
  });

  const group = async (req: FastifyRequest): Promise<(LinkSubject & { row: { id: string; name: string; kind: string; area: string | null; description: string | null } }) | undefined> => {
    const id = (req.params as { id: string }).id;
    const row = isUuid(id) ? await app.db.selectFrom('network_group').select(['id', 'name', 'kind', 'area', 'description']).where('id', '=', id).executeTakeFirst() : undefined;
    return row && { kind: 'group', id: row.id, title: row.name, row };
  };

  declareRoute(app, {
    method: 'GET',
    url: '/groups/:id',
    access: 'network.read',
    audit: 'network.view',
    handler: async (req, reply) => {
      const subject = await group(req);
      if (!subject) return notFound(req, reply);
      const name = await personNamer(req);
      const { links, aliases, incidents } = await transact(req, async (trx, audit) => {
        const links = await linksOf(trx, req.actor!, { groupId: subject.id });
        const members = links.filter((l) => l.kind === 'membership' && l.is_live).map((l) => l.person_id!);
        // Incidents involving the group's current members, as far as the reader's agency may see them.
        const incidents = members.length
          ? await trx
              .selectFrom('incident')
              .innerJoin('involvement', 'involvement.incident_id', 'incident.id')
              .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
              .select(['incident.id', 'incident.reference', 'incident.occurred_at', 'incident_type.label as type_label', sql<string>`to_char(incident.occurred_at AT TIME ZONE 'Europe/London', 'YYYY-MM')`.as('month')])
              .select((eb) => eb.fn.count<string>('involvement.person_id').distinct().as('members'))
              .where('involvement.person_id', 'in', members)
              .where(incidentVisibleTo(req.actor!.agencyId))
              .groupBy(['incident.id', 'incident_type.label'])
              .orderBy('incident.occurred_at', 'desc')
              .limit(200)
              .execute()
          : [];
        for (const person of members) await audit({ recordType: 'network_group', recordId: subject.id, personId: person });
        if (!members.length) await audit({ recordType: 'network_group', recordId: subject.id });
        const aliases = await trx.selectFrom('group_alias').select('alias').where('group_id', '=', subject.id).orderBy('alias').execute();
        return { links, aliases, incidents };
      });
      const named = links.map((l) => ({ ...l, describe: describeLink(l, subject, name) }));
      const byMonth = [...incidents.reduce((m, i) => m.set(i.month, (m.get(i.month) ?? 0) + 1), new Map<string, number>())].sort((a, b) => a[0].localeCompare(b[0]));
      return reply.page('network/views/group.njk', {
        group: subject.row,
        aliases: aliases.map((a) => a.alias),
        members: named.filter((l) => l.kind === 'membership'),
        relations: named.filter((l) => l.kind === 'group_group'),
        placesLinked: named.filter((l) => l.kind === 'group_place'),
        incidents,
        byMonth,
        kinds: GROUP_KINDS,
        canRecord: can(req.actor!.roles, 'network.record'),
        today: londonToday(),
        canOpenPeople: name.identifies && can(req.actor!.roles, 'person.read'),
        ...linkLabels,
      });
    },
  });

  registerLinkPages(app, 'group', group);

  declareRoute(app, {
    method: 'GET',
    url: '/places',
    access: 'network.read',
    audit: null,
    handler: async (req, reply) => reply.page('network/views/places.njk', { places: await places(app.db), kinds: PLACE_KINDS, canRecord: can(req.actor!.roles, 'network.record'), values: {} }),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/places',
    access: 'network.record',
    audit: 'network.change',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const name = text(body, 'name', errors, { label: 'The name', required: true, max: 200, missing: 'Enter the name of the place' });
      const kind = choice(body, 'kind', errors, Object.keys(PLACE_KINDS) as PlaceKind[], 'Select the kind of place');
      const lat = text(body, 'latitude', errors, { label: 'Latitude', max: 20 });
      const lon = text(body, 'longitude', errors, { label: 'Longitude', max: 20 });
      const latitude = lat === null ? null : Number(lat);
      const longitude = lon === null ? null : Number(lon);
      if ((latitude === null) !== (longitude === null)) errors.add(latitude === null ? 'latitude' : 'longitude', 'Give both latitude and longitude, or neither');
      if (latitude !== null && !(latitude >= 49 && latitude <= 61)) errors.add('latitude', 'Latitude must be a number between 49 and 61 (Great Britain)');
      if (longitude !== null && !(longitude >= -9 && longitude <= 2)) errors.add('longitude', 'Longitude must be a number between -9 and 2 (Great Britain)');
      if (name && kind && (await app.db.selectFrom('place').select('id').where('kind', '=', kind).where('name', '=', name).executeTakeFirst())) errors.add('name', 'This place is already recorded');
      if (errors.any || !name || !kind) return reply.code(400).page('network/views/places.njk', { places: await places(app.db), kinds: PLACE_KINDS, canRecord: true, values: body, errors });
      const grid = latitude !== null && longitude !== null ? toBritishNationalGrid(longitude, latitude) : null;
      await transact(req, async (trx, audit) => {
        const { id } = await trx
          .insertInto('place')
          .values({ name, kind, latitude, longitude, easting: grid?.easting ?? null, northing: grid?.northing ?? null, borough_name: latitude !== null && longitude !== null ? (boroughAt(longitude, latitude)?.name ?? null) : null, created_by: req.actor!.userId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit({ recordType: 'place', recordId: id });
      });
      return reply.redirect('/places', 303);
    },
  });
}
