// Intelligence products' pages: the list by period, a new product from a
// template, the draft's sections (move, leave out, add, write an
// assessment), generating it with a progress line, and the document itself
// as a page, a PDF and its tables as CSV. Each reads the request, calls the
// operation and renders: who may open what is `mayOpen`'s decision.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, choices, isUuid, list, monthField, str, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { sendCsv } from '../../platform/csv.ts';
import { STALE, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { listParams, pagination } from '../../platform/lists.ts';
import { boroughsOnGrid } from '../../analysis/geography.ts';
import { partnerAgencies } from '../actions/queries.ts';
import { lastWholeMonth } from '../strategy/indicatorRoutes.ts';
import { SUBJECTS, SUBJECT_CODES, type Subject } from '../disproportionality/queries.ts';
import { SOURCES, SOURCE_CODES } from '../hotspots/events.ts';
import { INTELLIGENCE_ASSESSMENTS, SOURCE_EVALUATIONS, HANDLING_CODES } from '../network/rules.ts';
import { personNamer } from '../people/naming.ts';
import { HIDDEN_EXPLAINED } from '../figures/suppression.ts';
import { AUDIENCES, PRODUCT_KINDS, PRODUCT_KIND_CODES, SECTION_KINDS, SOURCED, sectionOpen, sectionTitle, type Audience, type Grading, type Section, type SectionKind } from './kinds.ts';
import { changeSections, generateInBackground, makeProduct, mayOpen, openableBy, periodWords, settle, startGeneration, type Content, type SectionChange } from './operations.ts';
import { NoChromium, asOpened, inlineStyles, printPdf, productCsv } from './document.ts';

const CHANGES = ['product.sections', 'product.generate'];
/** What the add-a-section list offers: every analysis, and disproportionality once per list it compares. */
const ADDABLE: { value: string; text: string }[] = [
  ...(Object.keys(SECTION_KINDS) as SectionKind[]).filter((k) => k !== 'assessment' && k !== 'disproportionality').map((k) => ({ value: k, text: SECTION_KINDS[k] })),
  ...SUBJECT_CODES.map((s) => ({ value: `disproportionality:${s}`, text: `${SECTION_KINDS.disproportionality}: ${SUBJECTS[s].label}` })),
];

type ProductRow = Awaited<ReturnType<typeof findProduct>>;
function findProduct(app: FastifyInstance, id: string) {
  return app.db.selectFrom('product').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The product, or nothing when it does not exist or is not for the reader's agency: both answer as missing. */
async function readable(app: FastifyInstance, req: FastifyRequest): Promise<NonNullable<ProductRow> | undefined> {
  const id = (req.params as { id: string }).id;
  if (!isUuid(id)) return undefined;
  const p = await findProduct(app, id);
  return p && mayOpen(req.actor!, p) ? p : undefined;
}

const periodOfRow = (p: { period_from: string; period_to: string }) => periodWords(String(p.period_from).slice(0, 7), String(p.period_to).slice(0, 7));

/** The sections this maker may add: those whose pages their role opens. */
const addableBy = (roles: readonly string[], audience: Audience) => ADDABLE.filter((a) => sectionOpen(roles, a.value.split(':')[0] as SectionKind, audience));

function readSectionChange(body: Body, errors: FormErrors, sections: Section[], addable: typeof ADDABLE): SectionChange | null {
  const change = str(body, 'change');
  if (change === 'up' || change === 'down' || change === 'remove') {
    const sectionId = str(body, 'sectionId');
    if (!sections.some((s) => s.id === sectionId)) errors.add('sections', 'That section is no longer in the product');
    return errors.any ? null : change === 'remove' ? { remove: sectionId } : { move: sectionId, by: change === 'up' ? -1 : 1 };
  }
  if (change === 'assess') {
    const title = text(body, 'title', errors, { label: 'The heading', required: true, max: 200, missing: 'Enter a heading for the assessment' });
    const words = text(body, 'text', errors, { label: 'The assessment', required: true, max: 20_000, missing: 'Enter the assessment' });
    const sourceEvaluation = choice(body, 'sourceEvaluation', errors, Object.keys(SOURCE_EVALUATIONS) as Grading['sourceEvaluation'][], 'Select how reliable the source is');
    const intelligenceAssessment = choice(body, 'intelligenceAssessment', errors, Object.keys(INTELLIGENCE_ASSESSMENTS) as Grading['intelligenceAssessment'][], 'Select how the source knows it');
    const handlingCode = choice(body, 'handlingCode', errors, Object.keys(HANDLING_CODES) as Grading['handlingCode'][], 'Select a handling code');
    if (!title || !words || !sourceEvaluation || !intelligenceAssessment || !handlingCode || errors.any) return null;
    return { add: { kind: 'assessment', title, text: words, grading: { sourceEvaluation, intelligenceAssessment, handlingCode } } };
  }
  const picked = choice(body, 'kind', errors, addable.map((a) => a.value), 'Select the section to add');
  const sources = choices(body, 'sources', errors, SOURCE_CODES, 'Select sources from the list');
  if (!picked || errors.any) return null;
  const [kind, subject] = picked.split(':') as [SectionKind, Subject | undefined];
  if (SOURCED.includes(kind) && !sources.length) errors.add('sources', 'Select at least one source for this section');
  if (errors.any) return null;
  return { add: { kind, ...(subject ? { subject } : {}), ...(SOURCED.includes(kind) ? { sources } : {}) } };
}

export function registerProducts(app: FastifyInstance): void {
  app.addHook('onClose', () => settle(5_000));
  const newPage = async (reply: FastifyReply, values: Body, errors?: FormErrors) =>
    reply.page('products/views/new.njk', { values, errors, kinds: PRODUCT_KINDS, audiences: AUDIENCES, boroughNames: boroughsOnGrid().map((b) => b.name), agencies: await partnerAgencies(app.db) });

  const showPage = async (req: FastifyRequest, reply: FastifyReply, p: NonNullable<ProductRow>, extra: { errors?: FormErrors; values?: Body } = {}) => {
    const agencies = await partnerAgencies(app.db);
    const base = { product: p, period: periodOfRow(p), kind: PRODUCT_KINDS[p.kind], audience: AUDIENCES[p.audience], agencyNames: agencies.filter((a) => p.agency_ids.includes(a.id)).map((a) => a.name), canMake: can(req.actor!.roles, 'product.make'), ...extra };
    if (p.state !== 'generated') {
      const sections = (p.sections as Section[]).map((s) => ({ ...s, heading: sectionTitle(s, SUBJECTS), sourceWords: s.sources?.map((x) => SOURCES[x]).join(', ') }));
      return reply.page('products/views/draft.njk', { ...base, sections, addable: addableBy(req.actor!.roles, p.audience), sources: SOURCES, sourceEvaluations: SOURCE_EVALUATIONS, intelligenceAssessments: INTELLIGENCE_ASSESSMENTS, handlingCodes: HANDLING_CODES });
    }
    const content = await opened(req, p);
    return reply.page('products/views/show.njk', { ...base, content, hiddenExplained: HIDDEN_EXPLAINED });
  };

  /** The content as this reader may see it, the opening audited with the product and how many people it names. */
  const opened = async (req: FastifyRequest, p: NonNullable<ProductRow>, exported?: 'pdf' | 'csv'): Promise<Content> => {
    const content = asOpened(p.content as Content, { roles: req.actor!.roles, audience: p.audience }, await personNamer(req));
    const people = (p.content as Content).sections.reduce((n, s) => n + s.built.tables.reduce((m, t) => m + t.rows.flat().filter((c) => typeof c === 'object' && c !== null).length, 0), 0);
    await transact(req, (_trx, audit) => audit({ recordType: 'product', recordId: p.id, detail: { kind: p.kind, audience: p.audience, people, ...(exported ? { export: exported } : {}) } }));
    return content;
  };

  declareRoute(app, {
    method: 'GET',
    url: '/products',
    access: 'product.read',
    audit: null,
    handler: async (req, reply) => {
      const params = listParams(req.query as Body, ['period'] as const, 'period', 'desc');
      // Only what the reader's agency may open is listed: the rest are not there for them.
      const own = req.actor!.agencyId;
      const visible = app.db.selectFrom('product').where(openableBy({ agencyId: own }));
      const [rows, total] = await Promise.all([
        visible.select(['id', 'kind', 'title', 'period_from', 'period_to', 'audience', 'state', 'generated_at', 'meeting_id']).orderBy('period_to', params.order).orderBy('created_at', 'desc').offset(params.offset).limit(params.limit).execute(),
        visible.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return reply.page('products/views/list.njk', { products: rows.map((r) => ({ ...r, period: periodOfRow(r), kindLabel: PRODUCT_KINDS[r.kind].label })), pagination: pagination('/products', {}, params, Number(total.n)), canMake: can(req.actor!.roles, 'product.make'), kinds: PRODUCT_KINDS });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/products/new',
    access: 'product.make',
    audit: null,
    handler: async (req, reply) => {
      const kind = str(req.query as Body, 'kind');
      return newPage(reply, { kind: PRODUCT_KIND_CODES.includes(kind as never) ? kind : 'problem_profile', month: lastWholeMonth() });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/products',
    access: 'product.make',
    audit: 'product.make',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const kind = choice(body, 'kind', errors, PRODUCT_KIND_CODES, 'Select which product to make');
      const month = monthField(body, 'month', errors, 'The last month', null);
      const audience = choice(body, 'audience', errors, Object.keys(AUDIENCES) as Audience[], 'Select who the product is for');
      const boroughs = list(body, 'boroughs');
      const agencyIds = list(body, 'agencyIds').filter(isUuid);
      if (!kind || !month || !audience || errors.any) return newPage(reply.code(400), body, errors);
      const made = await transact(req, async (trx, audit) => {
        const result = await makeProduct(trx, { ...req.actor!, agencyId: req.actor!.agencyId }, { kind, month, boroughs, audience, agencyIds });
        if ('id' in result) await audit({ recordType: 'product', recordId: result.id, detail: { kind, audience } });
        return result;
      });
      if ('refused' in made) {
        for (const [field, message] of Object.entries(made.refused)) errors.add(field, message);
        return newPage(reply.code(400), body, errors);
      }
      return reply.redirect(`/products/${made.id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/products/:id',
    access: 'product.read',
    audit: 'product.view',
    handler: async (req, reply) => {
      const p = await readable(app, req);
      if (!p) return notFound(req, reply);
      return showPage(req, reply, p);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/products/:id/sections',
    access: 'product.make',
    audit: 'product.sections',
    handler: async (req, reply) => {
      const p = await readable(app, req);
      if (!p) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const change = readSectionChange(body, errors, p.sections as Section[], addableBy(req.actor!.roles, p.audience));
      if (!change) return showPage(req, reply.code(400), p, { errors, values: body });
      const result = await orStale(
        transact(req, async (trx, audit) => {
          const r = await changeSections(trx, req.actor!, p.id, versionRead(body), change);
          if (r === 'changed') await audit({ recordType: 'product', recordId: p.id, detail: { change: str(body, 'change') || 'add' } });
          return r;
        }),
      );
      if (result === STALE) {
        errors.add('sections', await staleError(app.db, { type: 'product', id: p.id, actions: CHANGES }, 'product'));
        return showPage(req, reply.code(409), (await findProduct(app, p.id))!, { errors, values: body });
      }
      if (result !== 'changed') {
        for (const [field, message] of Object.entries(result.refused)) errors.add(field, message);
        return showPage(req, reply.code(400), p, { errors, values: body });
      }
      return reply.redirect(`/products/${p.id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/products/:id/generate',
    access: 'product.make',
    audit: 'product.generate',
    handler: async (req, reply) => {
      const p = await readable(app, req);
      if (!p) return notFound(req, reply);
      const body = req.body as Body;
      const started = await orStale(
        transact(req, async (trx, audit) => {
          const ok = await startGeneration(trx, p.id, versionRead(body));
          if (ok) await audit({ recordType: 'product', recordId: p.id, detail: { kind: p.kind, sections: (p.sections as Section[]).length } });
          return ok;
        }),
      );
      if (started === STALE || !started) {
        const errors = new FormErrors();
        errors.add('sections', started === STALE ? await staleError(app.db, { type: 'product', id: p.id, actions: CHANGES }, 'product') : 'This product has already been generated');
        return showPage(req, reply.code(409), (await findProduct(app, p.id))!, { errors });
      }
      generateInBackground(app.db, p.id, (e) => req.log.error(e, 'Generating a product failed'));
      return reply.redirect(`/products/${p.id}`, 303);
    },
  });

  const generatedOr404 = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = await readable(app, req);
    if (!p || p.state !== 'generated') {
      notFound(req, reply);
      return undefined;
    }
    return p;
  };

  declareRoute(app, {
    method: 'GET',
    url: '/products/:id/product.pdf',
    access: 'product.read',
    audit: 'product.export',
    handler: async (req, reply) => {
      const p = await generatedOr404(req, reply);
      if (!p) return reply;
      const content = await opened(req, p, 'pdf');
      const html = app.renderView('products/views/print.njk', { product: p, period: periodOfRow(p), kind: PRODUCT_KINDS[p.kind], audience: AUDIENCES[p.audience], content, styles: inlineStyles(), hiddenExplained: HIDDEN_EXPLAINED });
      try {
        const pdf = await printPdf(html, app.config.chromiumPath);
        return reply.type('application/pdf').header('content-disposition', `attachment; filename="${p.kind}-${String(p.period_to).slice(0, 7)}.pdf"`).send(pdf);
      } catch (error) {
        if (!(error instanceof NoChromium)) throw error;
        return reply.code(503).page('products/views/no-pdf.njk', { product: p });
      }
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/products/:id/tables.csv',
    access: 'product.read',
    audit: 'product.export',
    handler: async (req, reply) => {
      const p = await generatedOr404(req, reply);
      if (!p) return reply;
      return sendCsv(reply, `${p.kind}-${String(p.period_to).slice(0, 7)}.csv`, productCsv(await opened(req, p, 'csv')));
    },
  });
}
