// Hot spots (issue 6, item 2): the chosen events counted on a grid over the
// chosen boroughs, Getis-Ord Gi* with the chosen correction, the map and the
// table of hot spot cells beside it, counts by borough (a choropleth) and by
// LSOA. Counts only: no event here is a person.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { declareRoute } from '../../platform/routes.ts';
import { CORRECTIONS } from '../../analysis/multipleTesting.ts';
import { cellName } from '../../analysis/grid.ts';
import { readMapChoices } from './rules.ts';
import { choiceLabels, loadPlaceQuery } from './load.ts';
import { CLASSES, hotSpotCells } from './analysis.ts';
import { choropleth, hotSpotMap } from './maps.ts';

const NEARBY = 400;

export function registerHotSpots(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/hot-spots',
    access: 'places.read',
    audit: null,
    handler: async (req, reply) => {
      const { query, errors, choices, area, events } = await loadPlaceQuery(app, req);
      const options = readMapChoices(query, errors);
      const cells = hotSpotCells(events, area, options);
      const counted = cells.reduce((s, c) => s + c.count, 0);
      const hot = cells.filter((c) => c.klass.startsWith('hot')).sort((a, b) => b.z - a.z);
      const places = await app.db.selectFrom('place').select(['name', 'easting', 'northing']).where('easting', 'is not', null).execute();
      const near = (x: number, y: number) =>
        places
          .filter((p) => Math.hypot(p.easting! - x, p.northing! - y) <= NEARBY)
          .map((p) => p.name)
          .join(', ');
      const byBorough = new Map(area.map((b) => [b.name, 0]));
      for (const c of cells) byBorough.set(c.borough, (byBorough.get(c.borough) ?? 0) + c.count);
      const lsoas = choices.sources.includes('police_street')
        ? await app.db
            .selectFrom('crime_record')
            .select(['lsoa_code', 'lsoa_name', sql<number>`count(*)::int`.as('n')])
            .where('lsoa_code', 'is not', null)
            .where('month', '>=', `${choices.from}-01`)
            .where('month', '<=', `${choices.to}-01`)
            .$if(choices.categories.length > 0, (q) => q.where('crime_type', 'in', choices.categories))
            .groupBy(['lsoa_code', 'lsoa_name'])
            .orderBy('n', 'desc')
            .limit(20)
            .execute()
        : [];
      return reply.code(errors.any ? 400 : 200).page('hotspots/views/hot-spots.njk', {
        errors,
        choices,
        options,
        values: query,
        ...(await choiceLabels(app)),
        corrections: CORRECTIONS,
        classes: CLASSES,
        area: area.map((b) => b.name),
        summary: { events: events.length, counted, cells: cells.length, byClass: Object.fromEntries(Object.keys(CLASSES).map((k) => [k, cells.filter((c) => c.klass === k).length])) },
        hot: hot.slice(0, 100).map((c) => ({ ...c, name: cellName(c, options.cellSize), near: near(c.x, c.y) })),
        map: hotSpotMap(app, cells, area.map((b) => b.name), options.cellSize),
        boroughMap: choropleth(app, byBorough),
        byBorough: [...byBorough].sort((a, b) => b[1] - a[1]),
        lsoas,
      });
    },
  });
}
