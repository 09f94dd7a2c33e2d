// What every places-and-times page reads from its query: the choices, the
// study area (the boroughs chosen, or by default those the partnership's own
// incidents are in; all of London if there are none) and the events in it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FormErrors, type Body } from '../../platform/forms.ts';
import { boroughsOnGrid, onGridInside, type GridBorough } from '../../analysis/geography.ts';
import { AGE_BANDS, SOURCES, categories, placeEvents } from './events.ts';
import { readChoices, type Choices } from './rules.ts';

async function studyArea(app: FastifyInstance, choices: Choices): Promise<GridBorough[]> {
  const all = boroughsOnGrid();
  let names = choices.boroughs;
  if (!names.length) names = (await app.db.selectFrom('incident').select('borough_name').distinct().where('borough_name', 'is not', null).execute()).map((r) => r.borough_name!);
  const chosen = all.filter((b) => names.includes(b.name));
  return chosen.length ? chosen : all;
}

export async function loadPlaceQuery(app: FastifyInstance, req: FastifyRequest) {
  const errors = new FormErrors();
  const query = req.query as Body;
  const choices = readChoices(query, errors);
  const area = await studyArea(app, choices);
  const events = await eventsIn(app, req, choices, area);
  return { query, errors, choices, area, events };
}

export async function eventsIn(app: FastifyInstance, req: FastifyRequest, choices: Choices, area: GridBorough[]) {
  return (await placeEvents(app.db, req.actor!.agencyId, choices)).filter((e) => onGridInside(e.x, e.y, area));
}

/** The period as long as the chosen one that follows it: what a map of the chosen period is tested against. */
export function nextPeriod(choices: Choices): Choices {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  const month = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  const length = index(choices.to) - index(choices.from) + 1;
  return { ...choices, from: month(index(choices.to) + 1), to: month(index(choices.to) + length) };
}

/** What the shared choices form needs on every page. */
export async function choiceLabels(app: FastifyInstance) {
  return { sources: SOURCES, ageBands: AGE_BANDS, categoryChoices: await categories(app.db), boroughNames: boroughsOnGrid().map((b) => b.name) };
}

/** The page's own query again (every value of a repeated field), for a link back to it (a CSV, "see whether it is ready"). */
export function sameQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  return params.toString();
}
