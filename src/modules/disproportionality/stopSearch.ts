// Stop and search in the disproportionality tracker (issue 23; seed 004
// 5.1.16 and Enabling Principle 5: trust between communities and the
// state). The police.uk searches the partnership imports, by self-defined or
// officer-defined ethnicity, against the residents of the same ages: the
// relative rate index with its Katz interval, as for the partnership's own
// lists; by legislation (section 60 apart, as it needs no suspicion); and
// the share that ended in no further action, month by month. Small numbers
// are hidden as everywhere else.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { HIDDEN, SUPPRESS_BELOW } from '../figures/suppression.ts';
import { BROAD_GROUPS, broadGroup, type PopulationRows } from './queries.ts';
import { trackerTable, type GroupCount, type Tracker } from './tracker.ts';

export const ETHNICITY_SOURCES = { self: 'Self-defined ethnicity', officer: 'Officer-defined ethnicity' } as const;
export type EthnicitySource = keyof typeof ETHNICITY_SOURCES;
/** Section 60 of the Criminal Justice and Public Order Act 1994: searches without suspicion in an authorised area. */
export const LEGISLATION = { all: 'All searches', s60: 'Section 60 only', suspicion: 'All but section 60 (searches on suspicion)' } as const;
export type Legislation = keyof typeof LEGISLATION;
const SECTION_60 = '%section 60%';

/** police.uk's ethnicity words, either list, as the census's broad groups: "Black/African/Caribbean/Black British - African" and "Black" are both Black. */
export function searchGroup(words: string | null): string {
  const w = (words ?? '').toLowerCase();
  if (!w || w.includes('not stated')) return 'not_stated';
  if (w.startsWith('asian')) return 'asian';
  if (w.startsWith('black')) return 'black';
  if (w.startsWith('mixed')) return 'mixed';
  if (w.startsWith('white')) return 'white';
  if (w.startsWith('other')) return 'other';
  return 'not_stated';
}

/** police.uk's age ranges as ages: "10-17" is 10 to 17, "under 10" 0 to 9, "over 34" 35 and up. */
export function ageRange(words: string | null): [number, number] | null {
  const w = (words ?? '').toLowerCase().trim();
  const range = /^(\d+)-(\d+)$/.exec(w);
  if (range) return [Number(range[1]), Number(range[2])];
  const under = /^under (\d+)$/.exec(w);
  if (under) return [0, Number(under[1]) - 1];
  const over = /^over (\d+)$/.exec(w);
  if (over) return [Number(over[1]) + 1, 200];
  return null;
}

export interface SearchQuery {
  source: EthnicitySource;
  legislation: Legislation;
  from: Date;
  to: Date;
  ages: [number, number];
}

export interface SearchFigures {
  tracker: Tracker;
  /** Searches whose age range falls within the ages compared: only they are set against residents. */
  counted: number;
  byLegislation: { legislation: string; searches: number | string; nfaShare: string }[];
  byMonth: { month: string; searches: number | string; nfaShare: string }[];
}

const share = (part: number, whole: number) => (whole < SUPPRESS_BELOW ? HIDDEN : `${((100 * part) / whole).toFixed(1)}%`);
const count = (n: number) => (n > 0 && n < SUPPRESS_BELOW ? HIDDEN : n);

export async function stopSearchFigures(db: Kysely<DB>, q: SearchQuery, residents: PopulationRows): Promise<SearchFigures> {
  const rows = await db
    .selectFrom('stop_search')
    .select([
      q.source === 'self' ? 'self_defined_ethnicity as ethnicity' : 'officer_defined_ethnicity as ethnicity',
      'age_range',
      sql<string>`coalesce(legislation, 'Not recorded')`.as('legislation'),
      sql<string>`to_char(searched_at AT TIME ZONE 'Europe/London', 'YYYY-MM')`.as('month'),
      sql<boolean>`coalesce(outcome ILIKE '%no further action%', false)`.as('nfa'),
    ])
    .where('searched_at', '>=', q.from)
    .where('searched_at', '<', q.to)
    .$if(q.legislation === 's60', (b) => b.where('legislation', 'ilike', SECTION_60))
    .$if(q.legislation === 'suspicion', (b) => b.where((eb) => eb.or([eb('legislation', 'is', null), eb('legislation', 'not ilike', SECTION_60)])))
    .execute();
  const inAges = rows.filter((r) => {
    const range = ageRange(r.age_range);
    return range !== null && range[0] >= q.ages[0] && range[1] <= q.ages[1];
  });
  const pop = residents.filter((r) => r.age_from >= q.ages[0] && r.age_to <= q.ages[1]);
  const groups: GroupCount[] = Object.entries(BROAD_GROUPS).map(([key, label]) => {
    const living = pop.filter((r) => broadGroup(r.ethnicity) === key).reduce((n, r) => n + r.people, 0);
    return { key, label, events: inAges.filter((r) => searchGroup(r.ethnicity) === key).length, population: key === 'not_stated' || !living ? null : living };
  });
  const people = q.ages[1] < 18 ? `children aged ${q.ages[0]} to ${q.ages[1]}` : `people aged ${q.ages[0]} to ${q.ages[1]}`;
  const tally = (key: (r: (typeof rows)[number]) => string) => {
    const m = new Map<string, { n: number; nfa: number }>();
    for (const r of rows) {
      const k = key(r);
      const had = m.get(k) ?? { n: 0, nfa: 0 };
      m.set(k, { n: had.n + 1, nfa: had.nfa + (r.nfa ? 1 : 0) });
    }
    return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  };
  return {
    tracker: trackerTable(groups, 'white', 'be stopped and searched', people),
    counted: inAges.length,
    byLegislation: tally((r) => r.legislation).map(([legislation, t]) => ({ legislation, searches: count(t.n), nfaShare: share(t.nfa, t.n) })),
    byMonth: tally((r) => r.month).map(([month, t]) => ({ month, searches: count(t.n), nfaShare: share(t.nfa, t.n) })),
  };
}
