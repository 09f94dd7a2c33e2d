// Each section of a product made from one of Reachable's analyses, with the
// same code the analysis's own page uses: its findings in words, its tables,
// its chart or map, the sources it read and its method in plain words.
// A partnership-wide product holds counts only, with counts from 1 to 4
// hidden; only a product for named agencies may hold people, and then as a
// person cell that is named or pseudonymised when it is opened.
import { sql, type Kysely } from 'kysely';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import type { DB } from '../../db/schema.ts';
import { FormErrors } from '../../platform/forms.ts';
import { londonToday } from '../../platform/time.ts';
import { barChart, lineChart } from '../../platform/charts.ts';
import { adjust } from '../../analysis/multipleTesting.ts';
import { countChange } from '../../analysis/countChange.ts';
import { cellName } from '../../analysis/grid.ts';
import type { GridBorough } from '../../analysis/geography.ts';
import { boxAround, onGridInside } from '../../analysis/geography.ts';
import { knoxSteps, knoxSummary } from '../../analysis/knox.ts';
import { dayNumber } from '../../analysis/nearRepeats.ts';
import { SOURCES, placeEvents, type PlaceEvent, type Source } from '../hotspots/events.ts';
import { CLASSES, hotSpotCells, type HotSpotCell } from '../hotspots/analysis.ts';
import { CLASS_COLOURS } from '../hotspots/maps.ts';
import { readMapChoices } from '../hotspots/rules.ts';
import { DAYS, afterSchoolWindow, hotTimes } from '../hotspots/times.ts';
import { NEARBY_METRES } from '../hotspots/tasking.ts';
import { HIDDEN, SUPPRESS_BELOW, shown, suppressGroup } from '../figures/suppression.ts';
import { MEASURES, addMonths, computeFigures, monthStart, monthsBetween } from '../figures/figures.ts';
import { responseFacts } from '../figures/queries.ts';
import { indicatorReports } from '../strategy/indicatorQueries.ts';
import { shownValue } from '../strategy/indicatorRoutes.ts';
import { trackFor } from '../disproportionality/routes.ts';
import { populationRows, SUBJECTS } from '../disproportionality/queries.ts';
import { ordersByMonth } from '../orders/figures.ts';
import { boardSection as criticalFigures } from '../critical-incidents/figures.ts';
import { GROUP_KINDS, gradingWords } from '../network/rules.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import type { Audience, Section } from './kinds.ts';
import { svgMap, type MapCell } from './svgMap.ts';

/** A person in a product for named agencies: named, or pseudonymised, when the product is opened. */
export interface PersonCell {
  person: string;
  name: string;
}
export type CellValue = string | number | null | PersonCell;

export interface Table {
  caption: string;
  head: string[];
  rows: CellValue[][];
  /** True where a table has hidden counts: the explanation goes under it. */
  hidden?: boolean;
}

export interface Built {
  summary: string[];
  tables: Table[];
  /** SVG, drawn on the server. */
  charts: string[];
  method: string;
  sources: Source[];
  /** Set by an assessment: its words and their grading. */
  text?: string;
  grading?: string;
  /** The page it is drawn from, when the section is withheld from this maker or reader. */
  withheld?: string;
}

/** A section left out because the role cannot open the page it is drawn from: it says so, and holds nothing. */
export function withheld(page: string, who: 'maker' | 'reader'): Built {
  return { summary: [`Withheld: ${who === 'maker' ? 'the role of whoever made this product does' : 'your role does'} not open the ${page} page this section is drawn from.`], tables: [], charts: [], method: 'The same rules as the pages: a section is shown only to roles that may open the page it comes from.', sources: [], withheld: page };
}

export interface Scope {
  db: Kysely<DB>;
  /** Whose view of the partnership's own incidents the product is made from. */
  agencyId: string;
  audience: Audience;
  /** First and last months, YYYY-MM. */
  from: string;
  to: string;
  area: GridBorough[];
  now: Date;
  /** Events read once per choice of sources and months, for every section that needs them. */
  cache: Map<string, Promise<unknown>>;
}

function once<T>(scope: Scope, key: string, work: () => Promise<T>): Promise<T> {
  if (!scope.cache.has(key)) scope.cache.set(key, work());
  return scope.cache.get(key) as Promise<T>;
}

/** The period of the same length just before the product's. */
export function periodBefore(scope: Pick<Scope, 'from' | 'to'>) {
  const length = monthsBetween(scope.from, scope.to).length;
  return { from: addMonths(scope.from, -length), to: addMonths(scope.from, -1) };
}

function eventsFor(scope: Scope, sources: Source[], period = { from: scope.from, to: scope.to }): Promise<PlaceEvent[]> {
  return once(scope, `events:${[...sources].sort().join(',')}:${period.from}:${period.to}`, async () =>
    (await placeEvents(scope.db, scope.agencyId, { sources, categories: [], from: period.from, to: period.to, ageBand: null, box: boxAround(scope.area) })).filter((e) => onGridInside(e.x, e.y, scope.area)),
  );
}

/** The grid box around the area: the database reads only the events near it (a borough, not London). */

/** Counts in a partnership-wide product: 1 to 4 hidden, with one more so none can be worked out from the total. */
function counted(scope: Scope, counts: number[], total = counts.reduce((a, b) => a + b, 0)): { cells: CellValue[]; total: CellValue; hidden: boolean } {
  if (scope.audience !== 'partnership') return { cells: counts, total, hidden: false };
  const h = suppressGroup(counts, total);
  return { cells: counts.map((n, i) => shown(n, h.cells[i])), total: shown(total, h.total), hidden: h.total || h.cells.some(Boolean) };
}

const sourceWords = (sources: Source[]) => sources.map((s) => SOURCES[s]).join(', ');
const mapOptions = () => readMapChoices({}, new FormErrors());

async function nearbyPlaces(scope: Scope) {
  const places = await once(scope, 'places', () => scope.db.selectFrom('place').select(['name', 'easting', 'northing']).where('easting', 'is not', null).execute());
  return (x: number, y: number) =>
    places
      .filter((p) => Math.hypot(p.easting! - x, p.northing! - y) <= NEARBY_METRES)
      .map((p) => p.name)
      .slice(0, 5)
      .join(', ');
}

const HOT_SHOWN = 25;

async function hotSpots(scope: Scope, s: Section): Promise<Built> {
  const sources = s.sources ?? [];
  const events = await eventsFor(scope, sources);
  const options = mapOptions();
  const cells = hotSpotCells(events, scope.area, options);
  const hot = cells.filter((c) => c.klass.startsWith('hot')).sort((a, b) => b.z - a.z);
  const near = await nearbyPlaces(scope);
  const top = hot.slice(0, HOT_SHOWN);
  const topCounts = counted(scope, top.map((c) => c.count), events.length);
  const byBorough = scope.area.map((b) => cells.filter((c) => c.borough === b.name).reduce((n, c) => n + c.count, 0));
  const boroughCounts = counted(scope, byBorough, events.length);
  const level = (k: string) => hot.filter((c) => c.klass === k).length;
  return {
    summary: [
      `${events.length} events from ${sourceWords(sources)}.`,
      hot.length ? `${hot.length} of ${cells.length} cells are hot spots: ${level('hot99')} at 99% confidence, ${level('hot95')} at 95% and ${level('hot90')} at 90%.` : 'No cell is a hot spot at 90% confidence or more.',
    ],
    tables: [
      { caption: `The ${Math.min(HOT_SHOWN, hot.length)} strongest hot spots (of ${hot.length})`, head: ['Cell (grid reference of its corner)', 'Events', 'Gi* z-score', 'Class', 'Places within 400 m'], rows: top.map((c, i) => [cellName(c, options.cellSize), topCounts.cells[i], Number(c.z.toFixed(2)), CLASSES[c.klass], near(c.x, c.y)]), hidden: topCounts.hidden },
      { caption: 'Events by borough', head: ['Borough', 'Events'], rows: [...scope.area.map((b, i) => [b.name, boroughCounts.cells[i]]), ['Total', boroughCounts.total]], hidden: boroughCounts.hidden },
    ],
    charts: [mapOf(scope, cells, options.cellSize)],
    method: `Events are counted on a ${options.cellSize} m grid over the area. Each cell’s Getis-Ord Gi* statistic compares the events in it and its neighbours within ${options.distance} m with the whole area; a high z-score means more events close together than chance would give. Testing every cell at once, p-values are corrected by the false discovery rate (Benjamini-Hochberg), and cells are classed at 99%, 95% and 90% confidence, as ArcGIS’s Hot Spot Analysis does.`,
    sources,
  };
}

function mapOf(scope: Scope, cells: HotSpotCell[], cellSize: number) {
  const shownCells = cells.filter((c) => c.klass.startsWith('hot'));
  const present = new Set(shownCells.map((c) => c.klass));
  return svgMapFor(scope, shownCells.map((c) => ({ x: c.x, y: c.y, colour: CLASS_COLOURS[c.klass] })), cellSize, (Object.keys(CLASSES) as (keyof typeof CLASSES)[]).filter((k) => present.has(k)).map((k) => ({ colour: CLASS_COLOURS[k], text: CLASSES[k] })), `Map of hot spot cells. ${shownCells.length} cells are hot spots; the table beside it lists the strongest`);
}

const svgMapFor = (scope: Scope, cells: MapCell[], cellSize: number, legend: { colour: string; text: string }[], summary: string) => svgMap({ title: 'Hot spots', areas: scope.area, cellSize, cells, legend, summary });

async function hotTimesSection(scope: Scope, s: Section): Promise<Built> {
  const sources = s.sources ?? [];
  const events = await eventsFor(scope, sources);
  const terms = await scope.db.selectFrom('term_period').select(['starts_on', 'ends_on']).execute();
  const t = hotTimes(events, terms, await afterSchoolWindow(scope.db), scope.from, scope.to);
  const byDay = t.grid.map((row) => row.reduce((a, b) => a + b, 0));
  const days = counted(scope, byDay, t.timed);
  const school = counted(scope, t.byHour.map((h) => h.school));
  const other = counted(scope, t.byHour.map((h) => h.other));
  const busiestHour = t.byHour.reduce((best, h) => (h.school + h.other > best.school + best.other ? h : best), t.byHour[0]);
  const busiestDay = byDay.indexOf(Math.max(...byDay));
  const anyHidden = days.hidden || school.hidden || other.hidden;
  return {
    summary: t.timed
      ? [`${t.timed} events with a time of day.`, `The busiest hour is ${busiestHour.hour}:00 to ${busiestHour.hour + 1}:00 and the busiest day ${DAYS[busiestDay]}.`, ...(t.termsKnown && Number.isFinite(t.school.afterSchoolShare) ? [`${Math.round(t.school.afterSchoolShare * 100)}% of events on school days fall between ${t.window.start}:00 and ${t.window.end}:00, after school.`] : [])]
      : ['No events in the period have a time of day.'],
    tables: [
      { caption: 'Events by day of the week', head: ['Day', 'Events'], rows: DAYS.map((d, i) => [d, days.cells[i]]), hidden: days.hidden },
      { caption: 'Events by hour, on school days and other days', head: ['Hour', 'School days', 'Other days'], rows: t.byHour.map((h, i) => [`${String(h.hour).padStart(2, '0')}:00`, school.cells[i], other.cells[i]]), hidden: school.hidden || other.hidden },
    ],
    // A chart of hidden counts would give them back: the table alone, then.
    charts: anyHidden ? [] : [barChart({ title: 'Events by day of the week', bars: DAYS.map((d, i) => ({ label: d, value: byDay[i] })) })],
    method: `Events with a day and a time (partnership incidents, stop and search, A&E assaults where the time is known) counted by day of the week and hour in London time. School days are the term dates the partnership keeps; police.uk crime gives months only, so it has no time. After school is ${t.window.start}:00 to ${t.window.end}:00.`,
    sources,
  };
}

/** Permutations for a product's Knox test: enough for p-values to 0.01, in seconds at borough scale. */
export const PRODUCT_PERMUTATIONS = 99;
/**
 * A product is made in the background, so it tests more events than a page
 * waits for (the page's limit, MAX_KNOX_EVENTS, is 20,000): a London month
 * of partnership incidents and A&E assaults is about 42,000 (bench:products).
 */
export const PRODUCT_KNOX_EVENTS = 100_000;

async function nearRepeats(scope: Scope, s: Section): Promise<Built> {
  const sources = s.sources ?? [];
  const dated = (await eventsFor(scope, sources)).filter((e) => e.day);
  const method = `The Knox test counts pairs of events close in space (bands of 100 m to 400 m) and in time (bands of 7 to 28 days), and compares each count with ${PRODUCT_PERMUTATIONS} random shuffles of the events’ dates: a ratio above 1 with a small p-value means events follow one another nearby more than chance would give. Events with months only (police.uk crime) are left out.`;
  if (dated.length < 2 || dated.length > PRODUCT_KNOX_EVENTS) {
    return { summary: [dated.length < 2 ? 'Too few events with a day to test.' : `${dated.length} events with a day is more than the ${PRODUCT_KNOX_EVENTS} a product tests: choose fewer sources or a smaller area.`], tables: [], charts: [], method, sources };
  }
  const steps = knoxSteps(dated.map((e) => ({ x: e.x, y: e.y, day: dayNumber(e.day!)! })), { spaceBands: [100, 200, 300, 400], timeBands: [7, 14, 21, 28], iterations: PRODUCT_PERMUTATIONS, seed: 1, metric: 'euclidean' });
  let next = steps.next();
  // A few permutations at a time, so the service keeps answering while a product is made.
  while (!next.done) {
    await yieldToOthers();
    next = steps.next();
  }
  const result = next.value;
  return {
    summary: [`${dated.length} events with a day.`, ...knoxSummary(result)],
    tables: [{ caption: 'Pairs of events close in space and time: observed against chance', head: ['Distance', ...result.columns], rows: result.rows.map((row, r) => [row, ...result.cells[r].map((c) => `${c.observed} (×${Number.isFinite(c.ratio) ? c.ratio.toFixed(2) : '–'}, p ${c.p.toFixed(3)})`)]) }],
    charts: [],
    method,
    sources,
  };
}

interface GroupActivity {
  id: string;
  name: string;
  kind: keyof typeof GROUP_KINDS;
  now: number;
  before: number;
}

/**
 * Groups whose members were involved in incidents, this period and the one
 * before: memberships live at the period's end and not from C-coded
 * intelligence (which stays with the police); incidents the product's
 * agency may see.
 */
interface GroupIncident {
  group: string;
  reference: string;
  day: string;
  type: string;
}

function groupActivity(scope: Scope): Promise<{ groups: GroupActivity[]; people: { group_id: string; person_id: string; given_name: string; family_name: string; incidents: number }[]; incidents: GroupIncident[] }> {
  return once(scope, 'groups', async () => {
    const before = periodBefore(scope);
    const start = monthStart(before.from);
    const middle = monthStart(scope.from);
    const end = monthStart(addMonths(scope.to, 1));
    const lastDay = new Date(end.getTime() - 1).toISOString().slice(0, 10);
    const rows = await scope.db
      .selectFrom('network_group as g')
      .innerJoin('association as a', (j) => j.onRef('a.group_id', '=', 'g.id').on('a.kind', '=', 'membership'))
      .innerJoin('involvement as v', 'v.person_id', 'a.person_id')
      .innerJoin('incident', 'incident.id', 'v.incident_id')
      .innerJoin('person as p', 'p.id', 'a.person_id')
      .innerJoin('incident_type as it', 'it.code', 'incident.type_code')
      .select(['g.id', 'g.name', 'g.kind', 'p.id as person_id', 'p.given_name', 'p.family_name', 'incident.id as incident_id', 'incident.reference', 'incident.occurred_at', 'it.label as type'])
      .where('a.removed_at', 'is', null)
      .where(sql<boolean>`a.handling_code IS DISTINCT FROM 'C'`)
      .where('a.valid_from', '<=', lastDay)
      .where((eb) => eb.or([eb('a.valid_to', 'is', null), eb('a.valid_to', '>=', before.from + '-01')]))
      .where('incident.occurred_at', '>=', start)
      .where('incident.occurred_at', '<', end)
      .where(incidentVisibleTo(scope.agencyId))
      .execute();
    const groups = new Map<string, GroupActivity & { nowIds: Set<string>; beforeIds: Set<string> }>();
    const people = new Map<string, { group_id: string; person_id: string; given_name: string; family_name: string; ids: Set<string> }>();
    const incidents = new Map<string, GroupIncident>();
    for (const r of rows) {
      const g = groups.get(r.id) ?? { id: r.id, name: r.name, kind: r.kind, now: 0, before: 0, nowIds: new Set(), beforeIds: new Set() };
      groups.set(r.id, g);
      const isNow = new Date(r.occurred_at) >= middle;
      (isNow ? g.nowIds : g.beforeIds).add(r.incident_id);
      if (isNow) {
        incidents.set(`${r.id}:${r.incident_id}`, { group: r.name, reference: r.reference, day: londonToday(new Date(r.occurred_at)), type: r.type });
        const key = `${r.id}:${r.person_id}`;
        const p = people.get(key) ?? { group_id: r.id, person_id: r.person_id, given_name: r.given_name, family_name: r.family_name, ids: new Set() };
        people.set(key, p);
        p.ids.add(r.incident_id);
      }
    }
    return {
      groups: [...groups.values()].map((g) => ({ id: g.id, name: g.name, kind: g.kind, now: g.nowIds.size, before: g.beforeIds.size })).sort((a, b) => b.now - a.now || a.name.localeCompare(b.name)),
      people: [...people.values()].map((p) => ({ ...p, incidents: p.ids.size })),
      incidents: [...incidents.values()].sort((a, b) => a.group.localeCompare(b.group) || a.day.localeCompare(b.day)),
    };
  });
}

const GROUPS_METHOD = 'A group is active when any of its members (as recorded in the network, and still a member at the end of the period) was involved in an incident in the period, as victim, suspect or witness. Incidents are counted once per group however many members were involved. Links from police intelligence with conditions on sharing (handling code C) are left out.';

async function groupsSection(scope: Scope): Promise<Built> {
  const { groups, people, incidents } = await groupActivity(scope);
  const active = groups.filter((g) => g.now > 0);
  const fresh = active.filter((g) => g.before === 0);
  if (scope.audience === 'partnership') {
    // Partnership-wide: groups by kind, counts only.
    const kinds = Object.keys(GROUP_KINDS) as (keyof typeof GROUP_KINDS)[];
    const c = counted(scope, kinds.map((k) => active.filter((g) => g.kind === k).reduce((n, g) => n + g.now, 0)));
    return {
      summary: [`${active.length} groups were active in the period, ${fresh.length} of them new to the picture (not active in the period before).`],
      tables: [{ caption: 'Incidents involving members of active groups, by kind of group', head: ['Kind of group', 'Groups active', 'Incidents'], rows: [...kinds.map((k, i) => [GROUP_KINDS[k], active.filter((g) => g.kind === k).length, c.cells[i]]), ['Total', active.length, c.total]], hidden: c.hidden }],
      charts: [],
      method: GROUPS_METHOD,
      sources: ['partnership'],
    };
  }
  return {
    summary: [`${active.length} groups were active in the period.`, fresh.length ? `New to the picture: ${fresh.map((g) => g.name).join(', ')}.` : 'No group is new to the picture.'],
    tables: [
      { caption: 'Active groups', head: ['Group', 'Kind', 'Incidents this period', 'Incidents the period before', 'New to the picture'], rows: active.map((g) => [g.name, GROUP_KINDS[g.kind], g.now, g.before, g.before === 0 ? 'Yes' : 'No']) },
      {
        caption: 'Members involved in incidents this period',
        head: ['Group', 'Person', 'Incidents'],
        rows: people
          .sort((a, b) => b.incidents - a.incidents)
          .map((p) => [active.find((g) => g.id === p.group_id)?.name ?? '', { person: p.person_id, name: `${p.given_name} ${p.family_name}` }, p.incidents]),
      },
      { caption: 'Their incidents this period', head: ['Group', 'Incident', 'Date', 'Type'], rows: incidents.map((i) => [i.group, i.reference, i.day, i.type]) },
    ],
    charts: active.length ? [barChart({ title: 'Incidents involving each active group’s members', bars: active.slice(0, 15).map((g) => ({ label: g.name, value: g.now })) })] : [],
    method: GROUPS_METHOD,
    sources: ['partnership'],
  };
}

async function urgentResponse(scope: Scope): Promise<Built> {
  const months = monthsBetween(scope.from, scope.to);
  const f = computeFigures(await responseFacts(scope.db, monthStart(scope.from), monthStart(addMonths(scope.to, 1))), months, scope.now);
  const row = (r: typeof f.byMonth.total) => [r.label, r.opened, ...r.measures.map((m) => m.percent ?? (m.met === HIDDEN ? HIDDEN : 'none decided')), r.medianHoursToAttempt, r.medianHoursToContact];
  const first = f.byMonth.total.measures[0];
  return {
    summary: [`${f.byMonth.total.opened} urgent responses opened.`, first.percent ? `${first.percent} met “${MEASURES[0].label}”.` : 'Too few decided to show how many met the first clock.'],
    tables: [{ caption: 'Urgent responses by month, and the share that met each clock', head: ['Month', 'Opened', ...MEASURES.map((m) => m.label), 'Median hours to first attempt', 'Median hours to contact'], rows: [...f.byMonth.rows.map(row), row(f.byMonth.total)], hidden: true }],
    charts: months.length > 1 ? [lineChart({ title: `Share meeting “${MEASURES[0].label}” by month`, points: f.byMonth.rows.map((r) => ({ label: r.label, value: r.measures[0].percent ? Number(r.measures[0].percent.replace('%', '')) : null })), unit: '%' })] : [],
    method: `Each young person notified is to be reached within 48 hours (the Urgent Response protocol). A clock counts as met or missed once it is decided; responses still inside a clock are not counted against it. Counts from 1 to ${SUPPRESS_BELOW - 1} are hidden, and a median of fewer than ${SUPPRESS_BELOW} young people is not shown.`,
    sources: ['partnership'],
  };
}

async function indicators(scope: Scope): Promise<Built> {
  const list = await indicatorReports(scope.db, scope.to);
  const rag = (r: string) => list.filter((i) => i.rag === r).length;
  const v = (x: number | null, unit: string) => (x === null ? 'no value' : shownValue(x, unit));
  return {
    summary: [`${list.length} indicators: ${rag('green')} on target, ${rag('amber')} close, ${rag('red')} off target, ${list.filter((i) => !i.rag).length} without a target or value.`],
    tables: [{ caption: `Indicators for the year ending ${scope.to}`, head: ['Indicator', 'This year', 'The year before', 'Target', 'RAG'], rows: list.map((i) => [i.name, v(i.value, i.unit), v(i.previous, i.unit), v(i.target, i.unit), i.rag ?? 'not rated']) }],
    charts: [barChart({ title: 'Indicators by RAG rating', bars: [{ label: 'Red', value: rag('red'), tone: 'red' }, { label: 'Amber', value: rag('amber'), tone: 'amber' }, { label: 'Green', value: rag('green'), tone: 'green' }] })],
    method: 'Indicators Reachable computes itself are counted over the twelve months ending with the period’s last month and compared with the twelve months before; others show the latest value entered. Red, amber and green compare the value with the target in the direction that is better.',
    sources: ['partnership'],
  };
}

async function disproportionality(scope: Scope, s: Section): Promise<Built> {
  const subject = s.subject ?? 'knife_victims';
  const residents = await once(scope, 'residents', () => populationRows(scope.db));
  const { tracker, peopleWords } = await trackFor(scope.db, { subject, by: 'ethnicity', reference: 'white', from: scope.from, to: scope.to, ages: [10, 24] }, residents);
  const words = tracker.rows.map((r) => r.words).filter((w): w is string => Boolean(w));
  return {
    summary: words.length ? words : [`Too few ${peopleWords} to compare, or no resident population loaded.`],
    tables: [{ caption: `${SUBJECTS[subject].label} by ethnicity, ${peopleWords}`, head: ['Ethnic group', 'People', 'Per 1,000 residents', 'Relative rate index', '95% interval'], rows: [...tracker.rows.map((r) => [r.label, r.events, r.rate ?? '', r.reference ? 'reference' : (r.rri ?? ''), r.ciLow === null ? '' : `${r.ciLow} to ${r.ciHigh}`]), ['Total', tracker.total, '', '', '']], hidden: true }],
    charts: [],
    method: `Each person is counted once, by ethnicity as recorded, against the resident population of the same ages. The relative rate index is a group’s rate divided by White young people’s; the 95% interval is Katz’s, on the log of the ratio. An interval that does not include 1 is a difference chance is unlikely to explain. Counts from 1 to ${SUPPRESS_BELOW - 1} are hidden.`,
    sources: ['partnership'],
  };
}

async function orders(scope: Scope): Promise<Built> {
  const o = await ordersByMonth(scope.db, monthsBetween(scope.from, scope.to));
  return {
    summary: [`Orders made: ${o.total.values[0]}; possible breaches raised: ${o.total.values[1]}, of which confirmed: ${o.total.values[2]}.`],
    tables: [{ caption: 'Orders and possible breaches by month', head: ['Month', ...o.measures], rows: [...o.rows.map((r) => [r.label, ...r.values]), ['Total', ...o.total.values]], hidden: true }],
    charts: [],
    method: `Orders recorded in Reachable and the possible breaches it raised against their conditions, with the enforcing officers’ decisions. Counts from 1 to ${SUPPRESS_BELOW - 1} are hidden, with enough others that none can be worked out.`,
    sources: ['partnership'],
  };
}

async function criticalIncidents(scope: Scope): Promise<Built> {
  const c = await criticalFigures(scope.db, monthStart(scope.from), monthStart(addMonths(scope.to, 1)));
  return {
    summary: [c.declared === 0 ? 'No critical incident was declared in the period.' : `Critical incidents declared: ${c.declared}.`],
    tables: [{ caption: 'Critical incidents', head: ['Measure', 'Value'], rows: [['Declared', c.declared], ['Closed', c.closed], ['Still open', c.open], ['Incident to first community impact assessment (mean hours)', c.hoursToAssessment ?? 'none'], ['Incident to first review (mean hours)', c.hoursToReview ?? 'none']], hidden: true }],
    charts: [],
    method: 'Critical incidents declared in the period, with the time from the incident to its first community impact assessment and to its first review. A mean of fewer than 5 incidents is hidden.',
    sources: ['partnership'],
  };
}

/** Cells and hot spots that rose or fell beyond chance, and groups new to the picture. */
async function changes(scope: Scope, s: Section): Promise<Built> {
  const sources = s.sources ?? [];
  const before = periodBefore(scope);
  const [now, then] = await Promise.all([eventsFor(scope, sources), eventsFor(scope, sources, before)]);
  const options = mapOptions();
  const cellsNow = hotSpotCells(now, scope.area, options);
  const cellsThen = hotSpotCells(then, scope.area, options);
  const tested = cellsNow.map((c, i) => ({ cell: c, change: countChange(cellsThen[i].count, c.count), wasHot: cellsThen[i].klass.startsWith('hot') })).filter((t) => t.change.before + t.change.now > 0);
  const adjusted = adjust(tested.map((t) => t.change.p), 'fdr');
  const beyond = tested.map((t, i) => ({ ...t, adjusted: adjusted[i] })).filter((t) => t.adjusted <= 0.05).sort((a, b) => a.adjusted - b.adjusted);
  const newHot = tested.filter((t) => t.cell.klass.startsWith('hot') && !t.wasHot);
  const goneHot = tested.filter((t) => !t.cell.klass.startsWith('hot') && t.wasHot);
  const boroughs = scope.area.map((b) => countChange(cellsThen.filter((c) => c.borough === b.name).reduce((n, c) => n + c.count, 0), cellsNow.filter((c) => c.borough === b.name).reduce((n, c) => n + c.count, 0)));
  const boroughP = adjust(boroughs.map((b) => b.p), 'fdr');
  const { groups } = await groupActivity(scope);
  const fresh = groups.filter((g) => g.now > 0 && g.before === 0);
  const near = await nearbyPlaces(scope);
  const shownCount = (n: number) => (scope.audience === 'partnership' && n > 0 && n < SUPPRESS_BELOW ? HIDDEN : n);
  const total = countChange(then.length, now.length);
  const words = (c: { direction: string }, p: number) => (p <= 0.05 ? `${c.direction}, beyond chance` : c.direction === 'same' ? 'no change' : `${c.direction}, within chance`);
  return {
    summary: [
      `${now.length} events against ${then.length} in the period before (${before.from === before.to ? before.from : `${before.from} to ${before.to}`}): ${words(total, total.p)} (p = ${total.p.toFixed(3)}).`,
      `${beyond.length} cells rose or fell beyond what chance explains; ${newHot.length} cells became hot spots and ${goneHot.length} stopped being hot spots.`,
      scope.audience === 'partnership' ? `${fresh.length} groups are new to the picture.` : fresh.length ? `Groups new to the picture: ${fresh.map((g) => g.name).join(', ')}.` : 'No group is new to the picture.',
    ],
    tables: [
      { caption: 'Boroughs: events this period and the period before', head: ['Borough', 'Before', 'This period', 'Change', 'p (corrected)'], rows: scope.area.map((b, i) => [b.name, shownCount(boroughs[i].before), shownCount(boroughs[i].now), words(boroughs[i], boroughP[i]), Number(boroughP[i].toFixed(3))]), hidden: scope.audience === 'partnership' },
      { caption: 'Cells that rose or fell beyond what chance explains', head: ['Cell', 'Before', 'This period', 'Change', 'p (corrected)', 'Places within 400 m'], rows: beyond.slice(0, 30).map((t) => [cellName(t.cell, options.cellSize), shownCount(t.change.before), shownCount(t.change.now), t.change.direction, Number(t.adjusted.toFixed(4)), near(t.cell.x, t.cell.y)]), hidden: scope.audience === 'partnership' },
      { caption: 'Hot spots new this period, and those no longer hot', head: ['Cell', 'Now', 'Places within 400 m'], rows: [...newHot.slice(0, 20).map((t) => [cellName(t.cell, options.cellSize), 'New hot spot', near(t.cell.x, t.cell.y)]), ...goneHot.slice(0, 20).map((t) => [cellName(t.cell, options.cellSize), 'No longer a hot spot', near(t.cell.x, t.cell.y)])] },
    ],
    charts: [svgMapFor(scope, [...beyond.map((t) => ({ x: t.cell.x, y: t.cell.y, colour: t.change.direction === 'rose' ? '#d4351c' : '#1d70b8' }))], options.cellSize, [{ colour: '#d4351c', text: 'Rose beyond chance' }, { colour: '#1d70b8', text: 'Fell beyond chance' }], `Map of cells whose counts rose or fell beyond chance: ${beyond.length} cells`)],
    method: `Each ${options.cellSize} m cell’s count this period is compared with the period of the same length before it by the exact conditional test for two Poisson counts: given both counts’ sum, this period’s count is binomial with probability one half when nothing has changed (Przyborowski and Wilenski’s test; scipy’s binomtest gives the same p-value). Testing every cell at once, p-values are corrected by the false discovery rate (Benjamini-Hochberg); a change with a corrected p-value of 0.05 or less is beyond what chance explains. A hot spot is new when its cell is a hot spot now (Getis-Ord Gi*, as in the hot spots section) and was not before. A group is new to the picture when its members were involved in incidents this period and not in the period before.`,
    sources,
  };
}

function assessment(s: Section): Built {
  return { summary: [], tables: [], charts: [], method: 'The analyst’s own assessment, graded with the 3x5x2 intelligence grading (College of Policing).', sources: [], text: s.text ?? '', grading: s.grading ? gradingWords({ source_evaluation: s.grading.sourceEvaluation, intelligence_assessment: s.grading.intelligenceAssessment, handling_code: s.grading.handlingCode }) : undefined };
}

export function buildSection(scope: Scope, s: Section): Promise<Built> {
  switch (s.kind) {
    case 'hot_spots':
      return hotSpots(scope, s);
    case 'hot_times':
      return hotTimesSection(scope, s);
    case 'near_repeats':
      return nearRepeats(scope, s);
    case 'groups':
      return groupsSection(scope);
    case 'urgent_response':
      return urgentResponse(scope);
    case 'indicators':
      return indicators(scope);
    case 'disproportionality':
      return disproportionality(scope, s);
    case 'orders':
      return orders(scope);
    case 'critical_incidents':
      return criticalIncidents(scope);
    case 'changes':
      return changes(scope, s);
    case 'assessment':
      return Promise.resolve(assessment(s));
  }
}
