// Near repeats (issue 6, item 4): the Knox test on the chosen events that
// have a day (police.uk crime has months only, so it is left out and the page
// says so), with the analyst's bands, distance, permutations and seed.
import type { FastifyInstance } from 'fastify';
import { declareRoute } from '../../platform/routes.ts';
import { FormErrors, str, type Body } from '../../platform/forms.ts';
import { knoxSteps, knoxSummary, type KnoxResult } from '../../analysis/knox.ts';
import { questionKey, workedOut } from '../../platform/background.ts';
import { readBands, dayNumber } from '../../analysis/nearRepeats.ts';
import { choiceLabels, loadPlaceQuery, sameQuery } from './load.ts';

/** More events than this make the page slow; the analyst narrows the choices or uses `reachable analyse knox`. */
export const MAX_KNOX_EVENTS = 20_000;

function readKnoxChoices(query: Body, errors: FormErrors) {
  const bands = (name: string, fallback: string, label: string) => {
    const got = readBands(str(query, name) || fallback, label);
    if (typeof got === 'string') {
      errors.add(name, got);
      return readBands(fallback, label) as number[];
    }
    return got;
  };
  const spaceBands = bands('spaceBands', '100,200,300,400', 'The distance bands');
  const timeBands = bands('timeBands', '7,14,21,28', 'The time bands');
  const iterations = Number(str(query, 'iterations') || 999);
  if (!Number.isInteger(iterations) || iterations < 99 || iterations > 9999) errors.add('iterations', 'The number of permutations must be a whole number from 99 to 9999');
  const seed = Number(str(query, 'seed') || 1);
  if (!Number.isInteger(seed)) errors.add('seed', 'The seed must be a whole number');
  const metric = str(query, 'metric') === 'manhattan' ? ('manhattan' as const) : ('euclidean' as const);
  return { spaceBands, timeBands, iterations: errors.field('iterations') ? 999 : iterations, seed: errors.field('seed') ? 1 : seed, metric };
}

export function registerNearRepeats(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/near-repeats',
    access: 'places.read',
    audit: null,
    handler: async (req, reply) => {
      const { query, errors, choices, area, events } = await loadPlaceQuery(app, req);
      const options = readKnoxChoices(query, errors);
      const dated = events.filter((e) => e.day);
      const tooMany = dated.length > MAX_KNOX_EVENTS;
      // 999 permutations of a borough's year take a second or more: worked out once per question in the background (platform/background.ts).
      const knoxEvents = dated.map((e) => ({ x: e.x, y: e.y, day: dayNumber(e.day!)! }));
      const answer = !errors.any && !tooMany && dated.length > 1 ? await workedOut<KnoxResult>(app.db, questionKey('near-repeats', options, knoxEvents), options.iterations, () => knoxSteps(knoxEvents, options)) : null;
      const result = answer?.state === 'done' ? answer.result : null;
      return reply.code(errors.any ? 400 : 200).page('hotspots/views/near-repeats.njk', {
        errors,
        values: query,
        choices,
        options,
        area: area.map((b) => b.name),
        dated: dated.length,
        monthOnly: events.length - dated.length,
        tooMany,
        maxEvents: MAX_KNOX_EVENTS,
        result,
        computedAt: answer?.state === 'done' ? answer.computedAt : null,
        progress: answer?.state === 'running' ? answer : null,
        queryString: sameQuery(query),
        summary: result ? knoxSummary(result) : [],
        ...(await choiceLabels(app)),
      });
    },
  });
}
