// The network of a person, an incident or a group: a picture (drawn in the
// browser from the same figures), a table beside it that holds everything
// the picture shows, the measures explained, and the exports. Every view and
// export records each person in it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pageOfRows } from '../../platform/lists.ts';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { EXACT_BETWEENNESS_LIMIT } from '../../analysis/graph.ts';
import { personNamer } from '../people/naming.ts';
import { RECENCY_MONTHS, WALK_TYPES, readWalk } from './rules.ts';
import { buildNetwork, pictureData, seedsOf, MAX_PEOPLE, PICTURE_ROLES, type Centre } from './picture.ts';
import { graphml, i2Csv, peopleCsv } from './exports.ts';
import { sendCsv } from '../../platform/csv.ts';

const KINDS = ['person', 'incident', 'group'] as const;
const FORMATS = { 'i2.csv': i2Csv, 'people.csv': peopleCsv, graphml } as const;

export function registerNetworkPictures(app: FastifyInstance): void {
  const load = async (req: FastifyRequest, format: keyof typeof FORMATS | null) => {
    const { kind, id } = req.params as { kind: string; id: string };
    if (!(KINDS as readonly string[]).includes(kind) || !isUuid(id)) return { missing: true as const };
    const centre = { kind, id } as Centre;
    const seeds = await seedsOf(app.db, req.actor!, centre);
    if (!seeds) return { missing: true as const };
    const errors = new FormErrors();
    const walk = readWalk(req.query as Body, errors);
    const name = await personNamer(req);
    const network = await transact(req, async (trx, audit) => {
      const network = await buildNetwork(trx, req.actor!, name, seeds, walk.depth, { types: new Set(walk.types), since: walk.since });
      for (const p of network.nodes) await audit({ recordType: centre.kind, recordId: centre.id, personId: p.id, detail: { export: format } });
      if (!network.nodes.length) await audit({ recordType: centre.kind, recordId: centre.id, detail: { export: format, people: 0 } });
      return network;
    });
    return { centre, walk, errors, network, name };
  };

  declareRoute(app, {
    method: 'GET',
    url: '/network/:kind/:id',
    access: 'network.read',
    audit: 'network.view',
    handler: async (req, reply) => {
      const found = await load(req, null);
      if ('missing' in found) return notFound(req, reply);
      const { centre, walk, errors, network, name } = found;
      const query = new URLSearchParams({ depth: String(walk.depth), months: String(walk.months) });
      for (const t of walk.types) query.append('types', t);
      // The tables hold everything the picture shows: paged, each on its own, so the page stays short (issue 22).
      const asked = req.query as Record<string, unknown>;
      const pageLink = (param: string, anchor: string) => (page: number) => {
        const q = new URLSearchParams(query);
        for (const other of ['peoplePage', 'linksPage']) if (other !== param && asked[other]) q.set(other, String(asked[other]));
        q.set(param, String(page));
        return `/network/${centre.kind}/${centre.id}?${q}#${anchor}`;
      };
      const people = pageOfRows(network.nodes, asked, 'peoplePage', pageLink('peoplePage', 'people'));
      const links = pageOfRows(network.links, asked, 'linksPage', pageLink('linksPage', 'links'));
      return reply.code(errors.any ? 400 : 200).page('network/views/picture.njk', {
        centre,
        walk,
        errors,
        network,
        people,
        links,
        picture: pictureData(network),
        roles: PICTURE_ROLES,
        walkTypes: WALK_TYPES,
        recency: RECENCY_MONTHS,
        identifies: name.identifies,
        exactLimit: EXACT_BETWEENNESS_LIMIT,
        maxPeople: MAX_PEOPLE,
        query: query.toString(),
      });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/network/:kind/:id/export/:format',
    access: 'network.read',
    audit: 'network.export',
    handler: async (req, reply) => {
      const format = (req.params as { format: string }).format as keyof typeof FORMATS;
      if (!(format in FORMATS)) return notFound(req, reply);
      const found = await load(req, format);
      if ('missing' in found) return notFound(req, reply);
      if (format === 'graphml') return reply.type('application/graphml+xml; charset=utf-8').header('content-disposition', 'attachment; filename="network.graphml"').send(graphml(found.network, found.name.identifies));
      return sendCsv(reply, `network.${format}`, FORMATS[format](found.network, found.name.identifies));
    },
  });
}
