// Hot spots (issue 6, item 2): the chosen events counted on a grid over the
// chosen boroughs, Getis-Ord Gi* with the chosen correction, the map and the
// table of hot spot cells beside it, counts by borough and by LSOA (each a
// choropleth with its table). Counts only: no event here is a person.
import { sendCsv } from '../../platform/csv.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { str, type Body } from '../../platform/forms.ts';
import { ordersOnMap, zoneMap } from '../orders/map.ts';
import { can } from '../../platform/permissions.ts';
import { londonToday } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { CORRECTIONS } from '../../analysis/multipleTesting.ts';
import { cellName } from '../../analysis/grid.ts';
import { readMapChoices } from './rules.ts';
import { choiceLabels, eventsIn, loadPlaceQuery, nextPeriod, sameQuery } from './load.ts';
import { densitySurface, mapAccuracy } from './density.ts';
import { CLASSES, hotSpotCells } from './analysis.ts';
import { boroughOutlines, choropleth, hotSpotMap, tiles } from './maps.ts';
import { NEARBY_METRES, taskingCsv, taskingList } from './tasking.ts';
import { weekday } from './times.ts';
import { lsoaCounts } from './lsoas.ts';

/** Monday to Sunday of the coming week. */
function comingWeek(today = londonToday()) {
  const monday = addDays(today, 7 - weekday(today));
  return { from: monday, to: addDays(monday, 6) };
}

export function registerHotSpots(app: FastifyInstance): void {
  // The tasking list: the page (printable) and the same rows as CSV.
  const tasking = async (req: FastifyRequest) => {
    const loaded = await loadPlaceQuery(app, req);
    const options = readMapChoices(loaded.query, loaded.errors);
    const cells = hotSpotCells(loaded.events, loaded.area, options);
    const places = await app.db.selectFrom('place').select(['name', 'kind', 'easting', 'northing']).execute();
    return { ...loaded, options, tasks: taskingList(cells, loaded.events, options.cellSize, places) };
  };

  declareRoute(app, {
    method: 'GET',
    url: '/tasking',
    access: 'places.read',
    audit: null,
    handler: async (req, reply) => {
      const { errors, query, choices, area, options, tasks } = await tasking(req);
      const week = comingWeek();
      return reply.code(errors.any ? 400 : 200).page('hotspots/views/tasking.njk', { errors, values: query, choices, options, tasks, area: area.map((b) => b.name), week, ...(await choiceLabels(app)), csv: `/tasking.csv?${sameQuery(query)}` });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/tasking.csv',
    access: 'places.read',
    audit: null,
    handler: async (req, reply) => {
      const { errors, tasks } = await tasking(req);
      if (errors.any) return reply.code(400).type('text/plain; charset=utf-8').send(errors.summary().map((e) => e.text).join('\n'));
      return sendCsv(reply, 'tasking.csv', taskingCsv(tasks));
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/hot-spots',
    access: 'places.read',
    audit: null,
    handler: async (req, reply) => {
      const { query, errors, choices, area, events } = await loadPlaceQuery(app, req);
      const options = readMapChoices(query, errors);
      const cells = hotSpotCells(events, area, options);
      const density = densitySurface(events, area, { cellSize: options.kdeCell, radius: options.kdeRadius });
      const next = nextPeriod(choices);
      const nextEvents = await eventsIn(app, req, next, area);
      const accuracy = nextEvents.length ? mapAccuracy(cells, options.cellSize, events, nextEvents, options.kdeRadius) : [];
      const counted = cells.reduce((s, c) => s + c.count, 0);
      const hot = cells.filter((c) => c.klass.startsWith('hot')).sort((a, b) => b.z - a.z);
      const places = await app.db.selectFrom('place').select(['name', 'easting', 'northing']).where('easting', 'is not', null).execute();
      const near = (x: number, y: number) =>
        places
          .filter((p) => Math.hypot(p.easting! - x, p.northing! - y) <= NEARBY_METRES)
          .map((p) => p.name)
          .join(', ');
      const byBorough = new Map(area.map((b) => [b.name, 0]));
      for (const c of cells) byBorough.set(c.borough, (byBorough.get(c.borough) ?? 0) + c.count);
      const lsoas = await lsoaCounts(app, events, area);
      // An optional layer: place-based powers in force, and exclusion zones for those who enforce orders (their view audited).
      const zones = can(req.actor!.roles, 'order.detail');
      const shown = str(query as Body, 'orders') === 'yes';
      const layer = shown ? await ordersOnMap(app.db, zones) : { areas: [], table: [] };
      if (shown && zones && layer.table.some((r) => !r.placeBased)) await transact(req, (_trx, audit) => audit({ action: 'order.view', recordType: 'order', detail: { map: 'hot-spots', zones: layer.table.filter((r) => !r.placeBased).length } }));
      const spots = hotSpotMap(app, cells, area.map((b) => b.name), options.cellSize);
      const drawn = layer.table.length ? zoneMap(app, layer.areas) : { cells: [], legend: [] };
      const map = { ...spots, cells: [...spots.cells, ...drawn.cells], legend: [...spots.legend, ...drawn.legend] };
      return reply.code(errors.any ? 400 : 200).page('hotspots/views/hot-spots.njk', {
        ordersLayer: { shown, zones, table: layer.table },
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
        map,
        boroughMap: choropleth(app, byBorough, (fill) => boroughOutlines([...byBorough.keys()], fill)),
        density: density && { cellSize: density.grid.cellSize, radius: density.grid.radius, densest: density.densest.map((d) => ({ ...d, near: near(d.x, d.y) })) },
        densityMap: density && { areas: boroughOutlines(area.map((b) => b.name)), cells: [], image: density.image, legend: [], tiles: tiles(app) },
        next,
        accuracy,
        byBorough: [...byBorough].sort((a, b) => b[1] - a[1]),
        lsoas,
        canImport: can(req.actor!.roles, 'places.import'),
      });
    },
  });
}
