// Rapid reviews: opened from a serious incident, with the cross-agency
// timeline of the people involved (for those conducting it), findings and
// recommendations that become tracked actions; closed; and the learning,
// searchable by anyone who reads reviews.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, optionalChoice, str, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { listParams, pagination, sortHeaders } from '../../platform/lists.ts';
import { ACTION_STATUSES, RAGS, RAG_TAGS } from '../strategy/rules.ts';
import { numberTaken } from '../strategy/queries.ts';
import { ENTRY_KINDS, NO_NAMES, REVIEW_STATUSES, readFinding, readRecommendation, readScope, searchWords, type ReviewStatus } from './rules.ts';
import { REVIEW_SORTS, addFinding, addRecommendation, closeReview, listReviews, loadReview, openReview, plans, reviewableIncident, searchLearning, touchReview, type LoadedReview } from './queries.ts';
import { reviewTimeline } from './timeline.ts';

const labels = { statuses: REVIEW_STATUSES, kinds: ENTRY_KINDS, actionStatuses: ACTION_STATUSES, rags: RAGS, ragTags: RAG_TAGS, noNames: NO_NAMES };
const STATUS_CODES = Object.keys(REVIEW_STATUSES) as ReviewStatus[];

export function registerReviews(app: FastifyInstance): void {
  const listPage = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const query = req.query as Body;
    const status = optionalChoice(query, 'status', new FormErrors(), STATUS_CODES, '') ?? undefined;
    const params = listParams(query, REVIEW_SORTS, 'opened', 'desc');
    const { rows, total } = await listReviews(app.db, { status }, params.sort, params.order, params.limit, params.offset);
    const filters = { status };
    return reply.page('reviews/views/list.njk', {
      rows,
      status: status ?? '',
      headers: sortHeaders('/reviews', filters, params, [
        { key: 'reference', text: 'Review' },
        { key: 'opened', text: 'Opened' },
        { key: 'status', text: 'Status' },
      ]),
      pagination: pagination('/reviews', filters, params, total),
      canConduct: can(req.actor!.roles, 'review.conduct'),
      values: {},
      ...labels,
      ...extra,
    });
  };

  declareRoute(app, { method: 'GET', url: '/reviews', access: 'review.read', audit: null, handler: (req, reply) => listPage(req, reply) });

  // Search by POST so the words (which may describe a case) never sit in a URL or a server log.
  declareRoute(app, {
    method: 'POST',
    url: '/reviews/search',
    access: 'review.read',
    audit: null,
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const raw = text(body, 'words', errors, { label: 'Search words', required: true, max: 200, missing: 'Enter words to search the findings and recommendations for' });
      const words = searchWords(raw ?? '');
      if (raw && !words.length) errors.add('words', 'Enter a word of at least two letters');
      if (errors.any) return listPage(req, reply.code(400), { errors, values: body });
      return listPage(req, reply, { results: await searchLearning(app.db, words), searched: raw, values: body });
    },
  });

  const incidentFor = async (req: FastifyRequest, id: unknown) => (isUuid(id) ? reviewableIncident(app.db, req.actor!, id) : undefined);

  declareRoute(app, {
    method: 'GET',
    url: '/reviews/new',
    access: 'review.conduct',
    audit: null,
    handler: async (req, reply) => {
      const incident = await incidentFor(req, (req.query as Body).incident);
      if (!incident) return notFound(req, reply);
      if (incident.review_id) return reply.redirect(`/reviews/${incident.review_id}`, 303);
      return reply.page('reviews/views/new.njk', { incident, values: {}, ...labels });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/reviews',
    access: 'review.conduct',
    audit: 'review.change',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const incident = await incidentFor(req, body.incidentId);
      if (!incident) return notFound(req, reply);
      if (incident.review_id) return reply.redirect(`/reviews/${incident.review_id}`, 303);
      const errors = new FormErrors();
      const scope = readScope(body, errors);
      if (!scope) return reply.code(400).page('reviews/views/new.njk', { incident, values: body, errors, ...labels });
      const review = await transact(req, async (trx, audit) => {
        const review = await openReview(trx, req.actor!, incident.id, scope);
        await audit({ recordType: 'rapid_review', recordId: review.id, detail: { opened: review.reference, incident: incident.id } });
        return review;
      });
      return reply.redirect(`/reviews/${review.id}`, 303);
    },
  });

  const load = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? loadReview(app.db, req.actor!, id) : undefined;
  };

  /**
   * The review's page. Those conducting reviews also see the timeline of the
   * people involved; each person shown is recorded in the audit log in the
   * same transaction as the read.
   */
  const page = async (req: FastifyRequest, reply: FastifyReply, loaded: LoadedReview, extra: Record<string, unknown> = {}) => {
    const conduct = can(req.actor!.roles, 'review.conduct');
    // Only where the reviewer's agency may see the incident itself: otherwise even who was involved is not theirs to read.
    const timeline = conduct && loaded.incident
      ? await transact(req, async (trx, audit) => {
          const timeline = await reviewTimeline(trx, req.actor!, { id: loaded.review.incident_id, occurred_at: loaded.review.occurred_at });
          for (const p of timeline.people) await audit({ action: 'review.view', recordType: 'rapid_review', recordId: loaded.review.id, personId: p.id, detail: { timeline: true } });
          return timeline;
        })
      : null;
    return reply.page('reviews/views/review.njk', {
      ...loaded,
      timeline,
      timelineHidden: conduct && !loaded.incident,
      findings: loaded.entries.filter((e) => e.kind === 'finding'),
      recommendations: loaded.entries.filter((e) => e.kind === 'recommendation'),
      canConduct: conduct && loaded.review.status === 'open',
      plans: conduct ? await plans(app.db) : [],
      values: {},
      ...labels,
      ...extra,
    });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/reviews/:id',
    access: 'review.read',
    audit: 'review.view',
    handler: async (req, reply) => {
      const loaded = await load(req);
      return loaded ? page(req, reply, loaded) : notFound(req, reply);
    },
  });

  /** An entry on an open review: checked (or the page again with its errors), then saved with the review's version moved on, audited. */
  function entry<T>(path: 'findings' | 'recommendations', read: (body: Body, errors: FormErrors) => Promise<T | null>, save: (trx: Transaction<DB>, reviewId: string, value: T, userId: string | null) => Promise<{ id: string }>) {
    declareRoute(app, {
      method: 'POST',
      url: `/reviews/:id/${path}`,
      access: 'review.conduct',
      audit: 'review.change',
      handler: async (req, reply) => {
        const loaded = await load(req);
        if (!loaded) return notFound(req, reply);
        const body = req.body as Body;
        const errors = new FormErrors();
        const field = path === 'findings' ? 'finding' : 'recommendation';
        const closed = async () => {
          errors.add(field, 'This review is closed: its learning can no longer be changed');
          return page(req, reply.code(409), (await load(req))!, { errors });
        };
        if (loaded.review.status !== 'open') return closed();
        const value = await read(body, errors);
        if (value === null || errors.any) return page(req, reply.code(400), loaded, { errors, values: body });
        const saved = await transact(req, async (trx, audit) => {
          // Moving the version on first, and only while open, so an entry never lands on a review closed a moment ago.
          if (!(await touchReview(trx, loaded.review.id))) return false;
          const saved = await save(trx, loaded.review.id, value, req.actor!.userId);
          await audit({ recordType: 'review_entry', recordId: saved.id, detail: { review: loaded.review.reference, kind: path } });
          return true;
        });
        if (!saved) return closed();
        return reply.redirect(`/reviews/${loaded.review.id}#${path}`, 303);
      },
    });
  }

  entry(
    'findings',
    async (body, errors) => readFinding(body, errors),
    (trx, reviewId, statement: string, userId) => addFinding(trx, reviewId, statement, userId),
  );

  entry(
    'recommendations',
    async (body, errors) => {
      const input = readRecommendation(body, errors, (await plans(app.db)).map((p) => p.id));
      if (input && (await numberTaken(app.db, input.strategyId, input.number))) errors.add('number', `That plan already has an action ${input.number}: choose another number`);
      return input;
    },
    (trx, reviewId, input, userId) => addRecommendation(trx, reviewId, input, userId),
  );

  declareRoute(app, {
    method: 'POST',
    url: '/reviews/:id/close',
    access: 'review.conduct',
    audit: 'review.change',
    handler: async (req, reply) => {
      const loaded = await load(req);
      if (!loaded) return notFound(req, reply);
      const errors = new FormErrors();
      if (!loaded.entries.some((e) => e.kind === 'finding')) errors.add('close', 'Record at least one finding before closing the review');
      if (errors.any) return page(req, reply.code(400), loaded, { errors });
      const closed = await transact(req, async (trx, audit) => {
        const closed = await closeReview(trx, loaded.review.id, Number(str(req.body as Body, 'version')), req.actor!.userId);
        if (closed) await audit({ recordType: 'rapid_review', recordId: loaded.review.id, detail: { closed: loaded.review.reference } });
        return closed;
      });
      if (!closed) {
        errors.add('close', 'The review changed while you were reading it, or it is already closed: read it again below, then close it');
        return page(req, reply.code(409), (await load(req))!, { errors });
      }
      return reply.redirect(`/reviews/${loaded.review.id}`, 303);
    },
  });
}
