// Counts by LSOA (issue 6, item 2). police.uk places each crime in an LSOA
// itself; every other source's events are placed by the LSOA boundaries, once
// an analyst has loaded the ONS file. Without boundaries the page can only
// count police.uk's crimes by their own codes, and it says so; with them it
// counts every chosen source and draws the choropleth beside its table.
import type { FastifyInstance } from 'fastify';
import { areaFinder, boundingBox, onGridInside, type GridArea } from '../../analysis/geography.ts';
import type { PlaceEvent } from './events.ts';
import { choropleth } from './maps.ts';

interface LsoaCount {
  code: string;
  name: string;
  n: number;
}

/** The LSOA boundaries whose box overlaps the study area's and whose middle lies in it. */
async function boundariesIn(app: FastifyInstance, area: GridArea[]) {
  const [minX, minY, maxX, maxY] = boundingBox(area.flatMap((b) => b.polygons));
  const rows = await app.db
    .selectFrom('lsoa_boundary')
    .select(['code', 'name', 'outline', 'grid', 'min_easting', 'min_northing', 'max_easting', 'max_northing'])
    .where('max_easting', '>=', minX)
    .where('min_easting', '<=', maxX)
    .where('max_northing', '>=', minY)
    .where('min_northing', '<=', maxY)
    .orderBy('code')
    .execute();
  return rows
    .map((r) => ({ code: r.code, name: r.name, outline: r.outline, polygons: r.grid, bbox: [r.min_easting, r.min_northing, r.max_easting, r.max_northing] as GridArea['bbox'] }))
    .filter((b) => onGridInside((b.bbox[0] + b.bbox[2]) / 2, (b.bbox[1] + b.bbox[3]) / 2, area));
}

export async function lsoaCounts(app: FastifyInstance, events: PlaceEvent[], area: GridArea[]) {
  const boundaries = await boundariesIn(app, area);
  const find = areaFinder(boundaries);
  const counts = new Map<string, LsoaCount>(boundaries.map((b) => [b.code, { code: b.code, name: b.name, n: 0 }]));
  let unplaced = 0;
  for (const e of events) {
    const code = e.lsoaCode ?? find(e.x, e.y)?.code;
    if (!code) {
      unplaced++;
      continue;
    }
    const count = counts.get(code) ?? counts.set(code, { code, name: e.lsoaName ?? code, n: 0 }).get(code)!;
    count.n++;
  }
  const rows = [...counts.values()].sort((a, b) => b.n - a.n || a.code.localeCompare(b.code));
  const outlines = (fill: Map<string, string>): GeoJSON.FeatureCollection => ({
    type: 'FeatureCollection',
    features: boundaries.map((b) => ({ type: 'Feature', properties: { name: `${b.name} (${b.code})`, colour: fill.get(b.code) ?? null }, geometry: { type: 'MultiPolygon', coordinates: b.outline } })),
  });
  return {
    rows,
    unplaced,
    map: boundaries.length ? choropleth(app, new Map(rows.map((r) => [r.code, r.n])), outlines) : null,
  };
}
