// The disproportionality tracker: any of Reachable's groups of people against
// the resident population by ethnicity, sex or age, with the RRI and its
// interval against a chosen reference group. Counts only; small ones hidden.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, monthField, str, text, uploadedFile, type Body } from '../../platform/forms.ts';
import { exportHref, toCsv, sendCsv, type Csv } from '../../platform/csv.ts';
import { barChart } from '../../platform/charts.ts';
import { can } from '../../platform/permissions.ts';
import { ageAt } from '../../platform/time.ts';
import { addMonths, monthLabel, monthStart } from '../figures/figures.ts';
import { SUPPRESS_BELOW } from '../figures/suppression.ts';
import { SEXES } from '../people/rules.ts';
import { lastWholeMonth } from '../strategy/indicatorRoutes.ts';
import { BROAD_GROUPS, SUBJECTS, SUBJECT_CODES, broadGroup, populationRows, subjectPeople, type PopulationRows, type Subject } from './queries.ts';
import { DIMENSIONS, countGroups, trackerTable, type Dimension, type Tracker } from './tracker.ts';
import { POPULATION_HEADER, readPopulation } from './population.ts';
import { ETHNICITY_SOURCES, LEGISLATION, stopSearchFigures, type EthnicitySource, type Legislation } from './stopSearch.ts';

const DEFAULT_REFERENCE: Record<Dimension, string> = { ethnicity: 'white', sex: 'female', age: '' };
/** Seed 000 reports young people under 25; the tracker starts at 10, the age of criminal responsibility. */
const DEFAULT_AGES: [number, number] = [10, 24];

export interface TrackerQuery {
  subject: Subject;
  by: Dimension;
  reference: string;
  from: string;
  to: string;
  ages: [number, number];
}

/** One table; `residents` are the population rows, loaded once by the caller for every table it draws. */
export async function trackFor(db: Kysely<DB>, q: TrackerQuery, residents: PopulationRows): Promise<{ tracker: Tracker; peopleWords: string }> {
  const people = await subjectPeople(db, q.subject, monthStart(q.from), monthStart(addMonths(q.to, 1)));
  const groups = q.by === 'ethnicity' ? BROAD_GROUPS : q.by === 'sex' ? { female: SEXES.female, male: SEXES.male, not_known: 'Sex not known' } : {};
  const counted = countGroups(
    people.map((p) => ({ ethnicity: broadGroup(p.ethnicity), sex: p.sex, age: ageAt(p.dateOfBirth, p.at) })),
    residents.map((r) => ({ ethnicity: broadGroup(r.ethnicity), sex: r.sex, ageFrom: r.age_from, ageTo: r.age_to, people: r.people })),
    q.by,
    q.ages,
    groups,
  );
  const peopleWords = q.by === 'age' ? 'young people' : q.ages[1] < 18 ? `children aged ${q.ages[0]} to ${q.ages[1]}` : `young people aged ${q.ages[0]} to ${q.ages[1]}`;
  // A reference left over from another dimension (White, when comparing by sex) falls back to that dimension's usual one.
  const usable = (key: string) => counted.some((g) => g.key === key && g.population);
  const reference = [q.reference, DEFAULT_REFERENCE[q.by]].find(usable) ?? counted.find((g) => g.population)?.key ?? '';
  return { tracker: trackerTable(counted, reference, SUBJECTS[q.subject].verb, peopleWords), peopleWords };
}

function readQuery(query: Body, errors: FormErrors, residents: PopulationRows): TrackerQuery {
  const subject = (str(query, 'subject') ? choice(query, 'subject', errors, SUBJECT_CODES, 'Select a group of people from the list') : 'knife_victims') ?? 'knife_victims';
  const by = (str(query, 'by') ? choice(query, 'by', errors, Object.keys(DIMENSIONS) as Dimension[], 'Select ethnicity, sex or age') : 'ethnicity') ?? 'ethnicity';
  const to = monthField(query, 'to', errors, 'To', lastWholeMonth()) ?? lastWholeMonth();
  const from = monthField(query, 'from', errors, 'From', addMonths(to, -11)) ?? addMonths(to, -11);
  if (from > to) errors.add('from', 'From must be the same month as To or before it');
  const bands = [...new Map(residents.map((r) => [r.age_from, r.age_to])).entries()];
  const starts = bands.map(([f]) => f);
  const ends = bands.map(([, t]) => t);
  const fallbackAges: [number, number] = !bands.length || (starts.includes(DEFAULT_AGES[0]) && ends.includes(DEFAULT_AGES[1])) ? DEFAULT_AGES : [Math.min(...starts), Math.max(...ends)];
  const ageFrom = str(query, 'ageFrom') ? Number(str(query, 'ageFrom')) : fallbackAges[0];
  const ageTo = str(query, 'ageTo') ? Number(str(query, 'ageTo')) : fallbackAges[1];
  // With no population loaded yet there are no bands to check against: counts are shown without rates.
  if (!bands.length) return { subject, by, reference: str(query, 'reference') || DEFAULT_REFERENCE[by], from, to, ages: fallbackAges };
  if (!starts.includes(ageFrom)) errors.add('ageFrom', `The youngest age must start one of the population’s age bands: ${starts.sort((a, b) => a - b).join(', ')}`);
  if (!ends.includes(ageTo) || ageTo < ageFrom) errors.add('ageTo', `The oldest age must end one of the population’s age bands, after the youngest: ${ends.sort((a, b) => a - b).join(', ')}`);
  const reference = str(query, 'reference') || DEFAULT_REFERENCE[by];
  return { subject, by, reference, from, to, ages: [ageFrom, ageTo] };
}

export function registerDisproportionality(app: FastifyInstance): void {
  const view = async (req: FastifyRequest, csv: boolean) => {
    const errors = new FormErrors();
    const residents = await populationRows(app.db);
    const q = readQuery(req.query as Body, errors, residents);
    // Counted inside the audited transaction, on its own connection (PGlite has only one).
    const result = errors.any ? null : await transact(req, async (trx, audit) => {
      const r = await trackFor(trx, q, residents);
      await audit({ recordType: 'disproportionality', detail: { subject: q.subject, by: q.by, from: q.from, to: q.to, export: csv } });
      return r;
    });
    return { errors, q, result };
  };

  declareRoute(app, {
    method: 'GET',
    url: '/disproportionality',
    access: 'disproportionality.read',
    audit: 'disproportionality.view',
    handler: async (req, reply) => {
      const { errors, q, result } = await view(req, false);
      const chart = result && barChart({ title: `Rate per 1,000 residents, ${SUBJECTS[q.subject].label.toLowerCase()}`, bars: result.tracker.rows.filter((r) => r.rate !== null && !Number.isNaN(Number(r.rate))).map((r) => ({ label: r.label, value: Number(r.rate) })) });
      return reply.code(errors.any ? 400 : 200).page('disproportionality/views/tracker.njk', {
        errors, q, values: { ...q, ageFrom: String(q.ages[0]), ageTo: String(q.ages[1]), ...(req.query as Body) }, tracker: result?.tracker, chart,
        subjects: SUBJECTS, dimensions: DIMENSIONS, monthLabel, below: SUPPRESS_BELOW, exportHref: exportHref(req, '/disproportionality/export.csv'), canLoad: can(req.actor!.roles, 'population.manage'),
      });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/disproportionality/export.csv',
    access: 'disproportionality.read',
    audit: 'disproportionality.export',
    handler: async (req, reply) => {
      const { errors, q, result } = await view(req, true);
      if (errors.any || !result) return reply.code(400).type('text/plain').send(Object.values(errors.toJSON()).join('\n'));
      return sendCsv(reply, `disproportionality-${q.subject}-${q.by}-${q.from}-to-${q.to}.csv`, trackerCsv(result.tracker));
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/disproportionality/stop-and-search',
    access: 'disproportionality.read',
    audit: null,
    handler: async (req, reply) => {
      const query = req.query as Body;
      const errors = new FormErrors();
      const residents = await populationRows(app.db);
      const base = readQuery({ ...query, subject: '', by: '' }, errors, residents);
      const source = (str(query, 'source') ? choice(query, 'source', errors, Object.keys(ETHNICITY_SOURCES) as EthnicitySource[], 'Select self-defined or officer-defined ethnicity') : 'self') ?? 'self';
      const legislation = (str(query, 'legislation') ? choice(query, 'legislation', errors, Object.keys(LEGISLATION) as Legislation[], 'Select which searches to count') : 'all') ?? 'all';
      const figures = errors.any ? null : await stopSearchFigures(app.db, { source, legislation, from: monthStart(base.from), to: monthStart(addMonths(base.to, 1)), ages: base.ages }, residents);
      return reply.code(errors.any ? 400 : 200).page('disproportionality/views/stop-search.njk', {
        errors, q: { ...base, source, legislation }, values: { ...base, source, legislation, ageFrom: String(base.ages[0]), ageTo: String(base.ages[1]), ...query }, figures, sources: ETHNICITY_SOURCES, legislations: LEGISLATION, monthLabel, below: SUPPRESS_BELOW,
      });
    },
  });

  const populationPage = async (req: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const rows = await populationRows(app.db);
    const bands = [...new Map(rows.map((r) => [r.age_from, r.age_to])).entries()].sort((a, b) => a[0] - b[0]);
    const summary = Object.entries(BROAD_GROUPS).filter(([k]) => k !== 'not_stated').map(([key, label]) => ({ label, bands: bands.map(([f]) => rows.filter((r) => broadGroup(r.ethnicity) === key && r.age_from === f).reduce((n, r) => n + r.people, 0)) }));
    return { rows: rows.length, source: rows[0]?.source ?? null, loadedAt: rows[0]?.loaded_at ?? null, bands, summary, header: POPULATION_HEADER, canLoad: can(req.actor!.roles, 'population.manage'), values: {}, ...extra };
  };

  declareRoute(app, {
    method: 'GET',
    url: '/disproportionality/population',
    access: 'disproportionality.read',
    audit: null,
    handler: async (req, reply) => reply.page('disproportionality/views/population.njk', await populationPage(req)),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/disproportionality/population',
    access: 'population.manage',
    audit: 'population.load',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const source = text(body, 'source', errors, { label: 'The source', required: true, max: 300, missing: 'Enter where the figures come from, like “ONS Census 2021, table RM032”' });
      const { value: rows, problems } = uploadedFile(body, 'file', errors, 'the population file', 'load', readPopulation);
      if (errors.any || !source || !rows) return reply.code(400).page('disproportionality/views/population.njk', await populationPage(req, { errors, problems, values: body }));
      await transact(req, async (trx, audit) => {
        await trx.deleteFrom('population').execute();
        for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('population').values(rows.slice(i, i + 1000).map((r) => ({ ...r, source, loaded_by: req.actor!.userId }))).execute();
        await audit({ recordType: 'population', detail: { rows: rows.length } });
      });
      return reply.redirect('/disproportionality/population', 303);
    },
  });
}

/** The same table as the page, hidden cells included as words. */
export function trackerCsv(t: Tracker): Csv {
  return toCsv(
    ['group', 'people', 'residents', 'rate_per_1000', 'rri', 'ci_low', 'ci_high', 'reference'],
    [...t.rows.map((r) => [r.label, r.events, r.population ?? '', r.rate ?? '', r.rri ?? '', r.ciLow ?? '', r.ciHigh ?? '', r.reference ? 'yes' : '']), ['Total', t.total, '', '', '', '', '', '']],
  );
}
