// Importing crime data from a page: choose the kind and the file; the whole
// file is checked first (problems listed by line, nothing saved), then saved
// in one transaction while the page shows how far it has got. The free-text
// A&E places that matched no named place wait here for an analyst.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, declareRoute, transact } from '../../platform/routes.ts';
import { can } from '../../platform/permissions.ts';
import { FormErrors, choice, str, text, uploadedFile, type Body } from '../../platform/forms.ts';
import { IMPORTS, saveImport, type ImportKind } from './imports.ts';
import { locationKey } from './istv.ts';

const KINDS = Object.keys(IMPORTS) as ImportKind[];
const labels = Object.fromEntries(KINDS.map((k) => [k, IMPORTS[k].label]));
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function registerCrimeData(app: FastifyInstance): void {
  const page = async (reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.page('crime-data/views/imports.njk', {
      runs: await app.db
        .selectFrom('import_run')
        .leftJoin('app_user', 'app_user.id', 'import_run.imported_by')
        .select(['import_run.kind', 'import_run.file_name', 'import_run.rows_read', 'import_run.rows_added', 'import_run.imported_at', 'app_user.display_name as by'])
        .orderBy('import_run.imported_at', 'desc')
        .limit(20)
        .execute(),
      kinds: labels,
      formats: Object.fromEntries(KINDS.map((k) => [k, IMPORTS[k].format])),
      canManage: can(reply.request.actor!.roles, 'places.manage'),
      values: {},
      ...extra,
    });

  declareRoute(app, { method: 'GET', url: '/imports', access: 'places.import', audit: null, handler: (_req, reply) => page(reply) });

  declareRoute(app, {
    method: 'POST',
    url: '/imports',
    access: 'places.import',
    audit: 'crime-data.import',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const kind = choice(body, 'kind', errors, KINDS, 'Select what kind of file it is');
      const read = kind ? await IMPORTS[kind].reader(app.db) : null;
      const upload = read ? uploadedFile(body, 'file', errors, 'the file', 'import', read) : { value: null, problems: [] };
      if (!kind || !upload.value || errors.any) return page(reply.code(400), { errors, problems: upload.problems, values: { kind: str(body, 'kind') } });
      const rows = upload.value;
      // The form gives the file's bytes, not its name: the run is named by what it is and when.
      const fileName = `${IMPORTS[kind].label}, uploaded ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      return reply.streamPage('crime-data/views/importing.njk', { label: IMPORTS[kind].label, fileName, total: rows.length }, async (write) => {
        let shown = 0;
        try {
          const [result] = await saveImport(app.db, actorOf(req), kind, [{ fileName, rows }], (saved, total) => {
            // A line every tenth of the way, so a big file shows it is moving without a wall of text.
            if (saved === total || saved - shown >= Math.max(10_000, total / 10)) {
              shown = saved;
              write(`<li>Saved ${saved.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows</li>\n`);
            }
          });
          write(
            `</ul><div class="govuk-panel govuk-panel--confirmation"><h2 class="govuk-panel__title">Imported</h2><div class="govuk-panel__body">${result.read.toLocaleString('en-GB')} rows read, ${result.added.toLocaleString('en-GB')} new</div></div><ul class="govuk-list">`,
          );
        } catch (error) {
          req.log.error({ err: error, correlationId: req.id }, 'import failed');
          write(`</ul><div class="govuk-error-summary"><h2 class="govuk-error-summary__title">The import failed: nothing was saved</h2><div class="govuk-error-summary__body"><p class="govuk-body">Try again; if it fails again, quote ${escape(req.id)}.</p></div></div><ul class="govuk-list">`);
        }
      });
    },
  });

  // A&E places that matched no named place: an analyst says which place each one is, or that it is none.
  const queue = async (reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.page('crime-data/views/unmatched.njk', {
      rows: await app.db
        .selectFrom('ae_attendance')
        .select(['location_text', (eb) => eb.fn.countAll<string>().as('n')])
        .where('match_status', '=', 'unmatched')
        .groupBy('location_text')
        .orderBy('n', 'desc')
        .limit(200)
        .execute(),
      places: await app.db.selectFrom('place').select(['id', 'name']).orderBy('name').execute(),
      values: {},
      ...extra,
    });

  declareRoute(app, { method: 'GET', url: '/imports/unmatched', access: 'places.manage', audit: null, handler: (_req, reply) => queue(reply) });

  declareRoute(app, {
    method: 'POST',
    url: '/imports/unmatched',
    access: 'places.manage',
    audit: 'crime-data.match',
    handler: async (req: FastifyRequest, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const text = str(body, 'locationText');
      const places = (await app.db.selectFrom('place').select('id').execute()).map((p) => p.id);
      const answer = choice(body, 'placeId', errors, [...places, 'none'], 'Select the place, or that it is not a named place');
      const key = locationKey(text);
      if (!key) errors.add('placeId', 'Select a place description from the list');
      if (!answer || errors.any) return queue(reply.code(400), { errors, values: body });
      const placeId = answer === 'none' ? null : answer;
      await transact(req, async (trx, audit) => {
        await trx
          .insertInto('place_match')
          .values({ location_key: key, place_id: placeId, chosen_by: req.actor!.userId })
          .onConflict((oc) => oc.column('location_key').doUpdateSet({ place_id: placeId, chosen_by: req.actor!.userId, chosen_at: new Date() }))
          .execute();
        // Every waiting row with these words, whatever their spelling of spaces and punctuation.
        const waiting = await trx.selectFrom('ae_attendance').select(['id', 'location_text']).where('match_status', '=', 'unmatched').execute();
        const ids = waiting.filter((w) => locationKey(w.location_text ?? '') === key).map((w) => w.id);
        if (ids.length) await trx.updateTable('ae_attendance').set({ place_id: placeId, match_status: placeId ? 'chosen' : 'none' }).where('id', 'in', ids).execute();
        await audit({ recordType: 'place_match', detail: { place: placeId, rows: ids.length } });
      });
      return reply.redirect('/imports/unmatched', 303);
    },
  });
}


const LISTS = { method: 'Assault method', location_type: 'Assault location type' } as const;

/** The ISTV code lists, which an administrator or analyst keeps as the national lists change: add a code or change its words. */
export function registerIstvCodes(app: FastifyInstance): void {
  const page = async (reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.page('crime-data/views/codes.njk', { codes: await app.db.selectFrom('istv_code').selectAll().orderBy('list').orderBy('code').execute(), lists: LISTS, values: {}, ...extra });

  declareRoute(app, { method: 'GET', url: '/imports/codes', access: 'places.manage', audit: null, handler: (_req, reply) => page(reply) });

  declareRoute(app, {
    method: 'POST',
    url: '/imports/codes',
    access: 'places.manage',
    audit: 'places.settings',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const list = choice(body, 'list', errors, Object.keys(LISTS) as (keyof typeof LISTS)[], 'Select which list the code is in');
      const code = text(body, 'code', errors, { label: 'The code', required: true, max: 10, missing: 'Enter the code, like 02' });
      const description = text(body, 'description', errors, { label: 'The description', required: true, max: 200, missing: 'Enter what the code means' });
      if (code && !/^[A-Za-z0-9]+$/.test(code)) errors.add('code', 'The code must be letters and numbers only');
      if (!list || !code || !description || errors.any) return page(reply.code(400), { errors, values: body });
      await transact(req, async (trx, audit) => {
        await trx.insertInto('istv_code').values({ list, code, description }).onConflict((oc) => oc.columns(['list', 'code']).doUpdateSet({ description })).execute();
        await audit({ recordType: 'istv_code', detail: { list, code, description } });
      });
      return reply.redirect('/imports/codes', 303);
    },
  });
}
