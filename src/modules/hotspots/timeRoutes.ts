// Hot times, and the school terms and after-school window they are read
// against (kept by analysts and administrators).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, dateInput, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { setSetting } from '../../platform/settings.ts';
import { choiceLabels, loadPlaceQuery } from './load.ts';
import { AFTER_SCHOOL, DAYS, afterSchoolWindow, hotTimes, shade } from './times.ts';

export function registerHotTimes(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/hot-times',
    access: 'places.read',
    audit: null,
    handler: async (req, reply) => {
      const { query, errors, choices, area, events } = await loadPlaceQuery(app, req);
      const terms = await app.db.selectFrom('term_period').select(['starts_on', 'ends_on']).execute();
      const times = hotTimes(events, terms, await afterSchoolWindow(app.db), choices.from, choices.to);
      const most = Math.max(0, ...times.grid.flat());
      return reply.code(errors.any ? 400 : 200).page('hotspots/views/hot-times.njk', {
        errors,
        choices,
        values: query,
        ...(await choiceLabels(app)),
        area: area.map((b) => b.name),
        events: events.length,
        times,
        days: DAYS,
        shades: times.grid.map((row) => row.map((n) => shade(n, most))),
        hours: Array.from({ length: 24 }, (_, h) => h),
      });
    },
  });

  const termsPage = async (reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.page('hotspots/views/terms.njk', {
      terms: await app.db.selectFrom('term_period').selectAll().orderBy('starts_on', 'desc').execute(),
      window: await afterSchoolWindow(app.db),
      values: {},
      ...extra,
    });

  declareRoute(app, { method: 'GET', url: '/term-dates', access: 'places.manage', audit: null, handler: (_req, reply) => termsPage(reply) });

  declareRoute(app, {
    method: 'POST',
    url: '/term-dates',
    access: 'places.manage',
    audit: 'places.settings',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const name = text(body, 'name', errors, { label: 'The name', required: true, max: 100, missing: 'Enter the term’s name, like Autumn 2026' });
      const startsOn = dateInput(body, 'startsOn', errors, { label: 'The first day', required: true, minYear: 2000 });
      const endsOn = dateInput(body, 'endsOn', errors, { label: 'The last day', required: true, minYear: 2000 });
      if (startsOn && endsOn && endsOn < startsOn) errors.add('endsOn-day', 'The last day must be the same as or after the first day');
      if (!name || !startsOn || !endsOn || errors.any) return termsPage(reply.code(400), { errors, values: body });
      await transact(req, async (trx, audit) => {
        const { id } = await trx.insertInto('term_period').values({ name, starts_on: startsOn, ends_on: endsOn }).returning('id').executeTakeFirstOrThrow();
        await audit({ recordType: 'term_period', recordId: id, detail: { name, startsOn, endsOn } });
      });
      return reply.redirect('/term-dates', 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/term-dates/remove',
    access: 'places.manage',
    audit: 'places.settings',
    handler: async (req, reply) => {
      const id = str(req.body as Body, 'termId');
      if (!isUuid(id)) return termsPage(reply.code(400), {});
      await transact(req, async (trx, audit) => {
        await trx.deleteFrom('term_period').where('id', '=', id).execute();
        await audit({ recordType: 'term_period', recordId: id, detail: { removed: true } });
      });
      return reply.redirect('/term-dates', 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/term-dates/window',
    access: 'places.manage',
    audit: 'places.settings',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const hour = (name: string, label: string) => {
        const raw = str(body, name);
        const n = Number(raw);
        if (!/^\d{1,2}$/.test(raw) || n > 24) errors.add(name, `${label} must be an hour from 0 to 24`);
        return n;
      };
      const start = hour('start', 'The start');
      const end = hour('end', 'The end');
      if (!errors.any && end <= start) errors.add('end', 'The end must be after the start');
      if (errors.any) return termsPage(reply.code(400), { errors, values: body });
      await transact(req, async (trx, audit) => {
        await setSetting(trx, AFTER_SCHOOL, { start, end });
        await audit({ recordType: 'setting', detail: { afterSchool: { start, end } } });
      });
      return reply.redirect('/term-dates', 303);
    },
  });
}
