// The events places-and-times analysis counts, from every source on one
// footing: the partnership's own incidents (only those the reader's agency may
// see), police.uk street crime (months only), police.uk stop and search, and
// A&E assaults (ISTV) where their place is known. Each event has grid metres,
// the month, and the day and the time where the source gives them.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';

export const SOURCES = {
  partnership: 'Partnership incidents',
  police_street: 'Police recorded crime (police.uk)',
  stop_search: 'Stop and search (police.uk)',
  istv: 'A&E assaults (ISTV)',
} as const;
export type Source = keyof typeof SOURCES;
export const SOURCE_CODES = Object.keys(SOURCES) as Source[];

export interface PlaceEvent {
  source: Source;
  category: string;
  x: number;
  y: number;
  /** YYYY-MM-01. */
  month: string;
  /** YYYY-MM-DD in London, where the source gives the day. */
  day: string | null;
  /** Hour of the day in London (0 to 23), where the source gives the time. */
  hour: number | null;
  /** The youngest victim's age then, in years: partnership incidents only (no other source records victims' ages). */
  victimAge: number | null;
  /** The LSOA police.uk gives a crime; other sources' events are placed in one by its boundary, where loaded. */
  lsoaCode?: string | null;
  lsoaName?: string | null;
}

/** Victims' age bands, for the filter: where a source records no victim's age, its events are left out when a band is chosen. */
export const AGE_BANDS = { under_18: 'Under 18', '18_24': '18 to 24', '25_plus': '25 and over' } as const;
export type AgeBand = keyof typeof AGE_BANDS;
export const inBand = (age: number | null, band: AgeBand) => age !== null && (band === 'under_18' ? age < 18 : band === '18_24' ? age >= 18 && age <= 24 : age >= 25);

export interface EventFilter {
  sources: Source[];
  /** police.uk crime types, incident types, stop and search objects, ISTV methods (as their words): empty means all. */
  categories: string[];
  /** First and last month, YYYY-MM. */
  from: string;
  to: string;
  ageBand: AgeBand | null;
  /** Only events inside this grid box [minX, minY, maxX, maxY] (a briefing reads one borough, not London). */
  box?: [number, number, number, number];
}

const london = (column: string) => sql.raw(`(${column} AT TIME ZONE 'Europe/London')`);
/** An A&E assault's day: the assault date where the record gives it, else the day of arrival. */
const assaultDay = sql.raw(`coalesce(a.assault_on, (a.arrived_at AT TIME ZONE 'Europe/London')::date)`);

export async function placeEvents(db: Kysely<DB>, agencyId: string, filter: EventFilter): Promise<PlaceEvent[]> {
  const start = `${filter.from}-01`;
  const [y, m] = filter.to.split('-').map(Number);
  const end = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  const wanted = (s: Source) => filter.sources.includes(s);
  const cats = filter.categories;
  const inBox = (x: string, y: string) => {
    const [minX, minY, maxX, maxY] = filter.box!;
    return sql<boolean>`${sql.ref(x)} BETWEEN ${minX} AND ${maxX} AND ${sql.ref(y)} BETWEEN ${minY} AND ${maxY}`;
  };
  const timed = (at: string) =>
    [
      sql<string>`to_char(${london(at)}, 'YYYY-MM-01')`.as('month'),
      sql<string>`to_char(${london(at)}, 'YYYY-MM-DD')`.as('day'),
      sql<number>`extract(hour from ${london(at)})::int`.as('hour'),
    ] as const;
  const tag = (source: Source) => (rows: Omit<PlaceEvent, 'source'>[]) => rows.map((r) => ({ ...r, source }));
  const out: Promise<PlaceEvent[]>[] = [];
  if (wanted('partnership'))
    out.push(
      db
        .selectFrom('incident')
        .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
        .select(['incident_type.label as category', 'easting as x', 'northing as y', ...timed('incident.occurred_at')])
        // The victims' ages cost a look-up per incident: read only when an age band is chosen.
        .select(
          filter.ageBand
            ? sql<number | null>`(SELECT min(extract(year FROM age(${london('incident.occurred_at')}::date, person.date_of_birth)))::int FROM involvement JOIN person ON person.id = involvement.person_id
            WHERE involvement.incident_id = incident.id AND involvement.role = 'victim')`.as('victimAge')
            : sql<null>`NULL`.as('victimAge'),
        )
        .where('easting', 'is not', null)
        .where(sql<boolean>`${london('incident.occurred_at')} >= ${start}::date AND ${london('incident.occurred_at')} < ${end}::date`)
        .where(incidentVisibleTo(agencyId))
        .$if(Boolean(filter.box), (q) => q.where(inBox('incident.easting', 'incident.northing')))
        .$if(cats.length > 0, (q) => q.where('incident_type.label', 'in', cats))
        .execute()
        .then((rows) => tag('partnership')(rows as Omit<PlaceEvent, 'source'>[])),
    );
  if (wanted('police_street'))
    out.push(
      db
        .selectFrom('crime_record')
        .select(['crime_type as category', 'easting as x', 'northing as y', sql<string>`to_char(month, 'YYYY-MM-01')`.as('month'), sql<null>`NULL`.as('day'), sql<null>`NULL`.as('hour'), sql<null>`NULL`.as('victimAge'), 'lsoa_code as lsoaCode', 'lsoa_name as lsoaName'])
        .where('easting', 'is not', null)
        .where('month', '>=', start)
        .where('month', '<', end)
        .$if(Boolean(filter.box), (q) => q.where(inBox('crime_record.easting', 'crime_record.northing')))
        .$if(cats.length > 0, (q) => q.where('crime_type', 'in', cats))
        .execute()
        .then((rows) => tag('police_street')(rows as Omit<PlaceEvent, 'source'>[])),
    );
  if (wanted('stop_search'))
    out.push(
      db
        .selectFrom('stop_search')
        .select([sql<string>`coalesce(object_of_search, 'Not recorded')`.as('category'), 'easting as x', 'northing as y', ...timed('stop_search.searched_at'), sql<null>`NULL`.as('victimAge')])
        .where('easting', 'is not', null)
        .where(sql<boolean>`${london('stop_search.searched_at')} >= ${start}::date AND ${london('stop_search.searched_at')} < ${end}::date`)
        .$if(Boolean(filter.box), (q) => q.where(inBox('stop_search.easting', 'stop_search.northing')))
        .$if(cats.length > 0, (q) => q.where(sql`coalesce(object_of_search, 'Not recorded')`, 'in', cats))
        .execute()
        .then((rows) => tag('stop_search')(rows as Omit<PlaceEvent, 'source'>[])),
    );
  if (wanted('istv'))
    out.push(
      db
        .selectFrom('ae_attendance as a')
        .innerJoin('place', 'place.id', 'a.place_id')
        .select([
          sql<string>`coalesce(a.method_description, 'Not known')`.as('category'),
          'place.easting as x',
          'place.northing as y',
          sql<string>`to_char(${assaultDay}, 'YYYY-MM-01')`.as('month'),
          sql<string>`to_char(${assaultDay}, 'YYYY-MM-DD')`.as('day'),
          sql<number | null>`extract(hour from ${london('a.assaulted_at')})::int`.as('hour'),
          sql<null>`NULL`.as('victimAge'),
        ])
        .where('place.easting', 'is not', null)
        .where(sql<boolean>`${assaultDay} >= ${start}::date AND ${assaultDay} < ${end}::date`)
        .$if(Boolean(filter.box), (q) => q.where(inBox('place.easting', 'place.northing')))
        .$if(cats.length > 0, (q) => q.where(sql`coalesce(a.method_description, 'Not known')`, 'in', cats))
        .execute()
        .then((rows) => tag('istv')(rows as Omit<PlaceEvent, 'source'>[])),
    );
  const all = (await Promise.all(out)).flat();
  return filter.ageBand ? all.filter((e) => inBand(e.victimAge, filter.ageBand!)) : all;
}

/** The categories each source has, for the filter's choices. */
export async function categories(db: Kysely<DB>): Promise<Record<Source, string[]>> {
  const [types, crime, stops, ae] = await Promise.all([
    db.selectFrom('incident_type').select('label').orderBy('sort').execute(),
    db.selectFrom('crime_record').select('crime_type').distinct().orderBy('crime_type').execute(),
    db.selectFrom('stop_search').select(sql<string>`coalesce(object_of_search, 'Not recorded')`.as('c')).distinct().orderBy('c').execute(),
    db.selectFrom('ae_attendance').select(sql<string>`coalesce(method_description, 'Not known')`.as('c')).distinct().orderBy('c').execute(),
  ]);
  return { partnership: types.map((t) => t.label), police_street: crime.map((c) => c.crime_type), stop_search: stops.map((s) => s.c), istv: ae.map((a) => a.c) };
}
