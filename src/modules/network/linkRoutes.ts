// Recording links: from a person's record to another person, a group or a
// place; from a group to another group or a place. Every link with its
// facts; taken off with a reason (the row stays as history); reviewed by the
// agency that recorded it; and the list of those past their review date.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, dateParts, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { STALE, changedSince, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { listParams, pagination } from '../../platform/lists.ts';
import { londonToday } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { auditedSearch } from '../people/candidates.ts';
import { readSearchTerms } from '../people/forms.ts';
import { personNamer } from '../people/naming.ts';
import {
  GROUP_PLACE_TYPES,
  GROUP_RELATIONS,
  HANDLING_CODES,
  INTELLIGENCE_ASSESSMENTS,
  LINK_TARGETS,
  MAX_REVIEW_DAYS,
  PERSON_LINK_TYPES,
  PERSON_PLACE_TYPES,
  SOURCE_EVALUATIONS,
  defaultReviewOn,
  readLinkFacts,
  type LinkTarget,
} from './rules.ts';
import { describeLink } from './describe.ts';
import { contextsOf } from '../contexts/queries.ts';
import { dueForReview, groups, linksOf, ownLink, places, recordLink, removeLink, reviewLink, type NewLink } from './queries.ts';

export const linkLabels = { personLinkTypes: PERSON_LINK_TYPES, personPlaceTypes: PERSON_PLACE_TYPES, groupPlaceTypes: GROUP_PLACE_TYPES, groupRelations: GROUP_RELATIONS, sourceEvaluations: SOURCE_EVALUATIONS, assessments: INTELLIGENCE_ASSESSMENTS, handlingCodes: HANDLING_CODES };

export interface LinkSubject {
  kind: 'person' | 'group';
  id: string;
  title: string;
}

/** Which link types a subject may record to a target, and how the table row records it. */
export function linkShape(subject: LinkSubject['kind'], target: LinkTarget) {
  if (subject === 'person' && target === 'person') return { kind: 'person_person' as const, types: PERSON_LINK_TYPES };
  if (subject === 'person' && target === 'group') return { kind: 'membership' as const, types: { member: 'Member' } };
  if (subject === 'person' && target === 'place') return { kind: 'person_place' as const, types: PERSON_PLACE_TYPES };
  if (subject === 'group' && target === 'group') return { kind: 'group_group' as const, types: GROUP_RELATIONS };
  return { kind: 'group_place' as const, types: GROUP_PLACE_TYPES };
}

export function registerLinks(app: FastifyInstance): void {
  const person = async (req: FastifyRequest): Promise<LinkSubject | undefined> => {
    const id = (req.params as { id: string }).id;
    const row = isUuid(id) ? await app.db.selectFrom('person').select(['id', 'given_name', 'family_name']).where('id', '=', id).where('merged_into', 'is', null).executeTakeFirst() : undefined;
    return row && { kind: 'person', id: row.id, title: (await personNamer(req))(row) };
  };

  const newLinkPage = registerLinkPages(app, 'person', person);

  declareRoute(app, {
    method: 'GET',
    url: '/people/:id/links',
    access: 'network.read',
    audit: 'network.view',
    handler: async (req, reply) => {
      const subject = await person(req);
      if (!subject) return notFound(req, reply);
      const name = await personNamer(req);
      const { rows, contexts } = await transact(req, async (trx, audit) => {
        const rows = await linksOf(trx, req.actor!, { personId: subject.id });
        const contexts = can(req.actor!.roles, 'context.read') ? await contextsOf(trx, subject.id) : [];
        await audit({ recordType: 'person', recordId: subject.id, personId: subject.id, detail: { links: rows.length, contexts: contexts.length } });
        return { rows, contexts };
      });
      return reply.page('network/views/person-links.njk', {
        subject,
        rows: rows.map((r) => ({ ...r, describe: describeLink(r, subject, name) })),
        contexts,
        today: londonToday(),
        canRecord: can(req.actor!.roles, 'network.record'),
        canOpenPeople: name.identifies && can(req.actor!.roles, 'person.read'),
        ...linkLabels,
      });
    },
  });

  // Finding the other person is a POST: names stay out of URLs and logs.
  declareRoute(app, {
    method: 'POST',
    url: '/people/:id/links/search',
    access: 'network.record',
    audit: 'person.search',
    handler: async (req, reply) => {
      const subject = await person(req);
      if (!subject) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const terms = readSearchTerms(body, errors);
      if (!terms) return newLinkPage(req, reply.code(400), subject, 'person', { errors, searchValues: body });
      const results = (await transact(req, (trx) => auditedSearch(trx, actorOf(req), terms))).filter((c) => c.id !== subject.id);
      return newLinkPage(req, reply, subject, 'person', { results, searchValues: body });
    },
  });

  // Taking a link off asks why, on its own page: the row stays, with who took it off and why, as history.
  const removal = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? ownLink(app.db, req.actor!, id) : undefined;
  };
  declareRoute(app, {
    method: 'GET',
    url: '/links/:id/remove',
    access: 'network.record',
    audit: null,
    handler: async (req, reply) => {
      const link = await removal(req);
      return link ? reply.page('network/views/link-remove.njk', { link, back: backTo(link), values: {} }) : notFound(req, reply);
    },
  });
  declareRoute(app, {
    method: 'POST',
    url: '/links/:id/remove',
    access: 'network.record',
    audit: 'network.change',
    handler: async (req, reply) => {
      const link = await removal(req);
      if (!link) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const reason = text(body, 'reason', errors, { label: 'The reason', required: true, max: 1000, missing: 'Enter why the link is being taken off' });
      if (!reason) return reply.code(400).page('network/views/link-remove.njk', { link, back: backTo(link), values: body, errors });
      const removed = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'association', link.id, versionRead(body));
          await removeLink(trx, req.actor!, link.id, reason);
          await audit({ recordType: 'association', recordId: link.id, personId: link.person_id, detail: { removed: true, kind: link.kind } });
        }),
      );
      if (removed === STALE) {
        const fresh = await removal(req);
        if (!fresh) return notFound(req, reply);
        errors.add('reason', await staleError(app.db, { type: 'association', id: link.id, actions: ['network.change'] }, 'link'));
        return reply.code(409).page('network/views/link-remove.njk', { link: fresh, back: backTo(fresh), values: body, errors });
      }
      return reply.redirect(backTo(link), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/links/:id/review',
    access: 'network.record',
    audit: 'network.change',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const link = isUuid(id) ? await ownLink(app.db, req.actor!, id) : undefined;
      if (!link) return notFound(req, reply);
      const today = londonToday();
      // Reviewed and still true: the next review a fixed span on, never more than a year.
      const next = defaultReviewOn(today);
      const keep = choice(req.body as Body, 'decision', new FormErrors(), ['keep'], '');
      if (!keep) return notFound(req, reply);
      const reviewed = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'association', id, versionRead(req.body as Body));
          await reviewLink(trx, id, next);
          await audit({ recordType: 'association', recordId: id, personId: link.person_id, detail: { reviewed: true, next } });
        }),
      );
      if (reviewed === STALE) {
        // A one-button confirmation: the refusal says who changed the link and sends the user back to read it again.
        return reply.code(409).page('errors/stale.njk', { problem: await changedSince(app.db, { type: 'association', id, actions: ['network.change'] }), back: backTo(link) });
      }
      return reply.redirect(str(req.body as Body, 'from') === 'review' ? '/links/review' : backTo(link), 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/links/review',
    access: 'network.record',
    audit: 'network.view',
    handler: async (req, reply) => {
      const params = listParams(req.query as Body, ['review'] as const, 'review');
      const name = await personNamer(req);
      const [rows, count] = await transact(req, async (trx, audit) => {
        const found = await dueForReview(trx, req.actor!, params.limit, params.offset);
        for (const r of found[0]) await audit({ recordType: 'association', recordId: r.id, personId: r.person_id });
        return found;
      });
      return reply.page('network/views/review.njk', {
        rows: rows.map((r) => ({ ...r, ends: describeEnds(r, name) })),
        pagination: pagination('/links/review', {}, params, Number(count.n)),
        ...linkLabels,
      });
    },
  });
}

/**
 * The two routes every subject shares, the "add a link" page and recording
 * the link; returns the page, for the person search to show it again.
 */
export function registerLinkPages(app: FastifyInstance, kind: LinkSubject['kind'], load: (req: FastifyRequest) => Promise<LinkSubject | undefined>) {
  const base = kind === 'person' ? '/people/:id/links' : '/groups/:id/links';
  const allowed: LinkTarget[] = kind === 'person' ? ['person', 'group', 'place'] : ['group', 'place'];
  const page = async (req: FastifyRequest, reply: FastifyReply, subject: LinkSubject, target: LinkTarget, extra: Record<string, unknown> = {}) => {
    const today = londonToday();
    return reply.page('network/views/link-new.njk', {
      subject,
      target,
      targets: Object.fromEntries(allowed.map((t) => [t, LINK_TARGETS[t]])),
      types: linkShape(kind, target).types,
      groups: target === 'group' ? (await groups(app.db)).filter((g) => g.id !== subject.id) : [],
      places: target === 'place' ? await places(app.db) : [],
      canGrade: can(req.actor!.roles, 'intelligence.c'),
      values: { ...dateParts('reviewOn', defaultReviewOn(today)) },
      maxReview: addDays(today, MAX_REVIEW_DAYS),
      ...linkLabels,
      ...extra,
    });
  };
  const targetOf = (body: Body) => (allowed as string[]).includes(str(body, 'to')) ? (str(body, 'to') as LinkTarget) : allowed[0];

  declareRoute(app, {
    method: 'GET',
    url: `${base}/new`,
    access: 'network.record',
    audit: null,
    handler: async (req, reply) => {
      const subject = await load(req);
      return subject ? page(req, reply, subject, targetOf(req.query as Body)) : notFound(req, reply);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: base,
    access: 'network.record',
    audit: 'network.change',
    handler: async (req, reply) => {
      const subject = await load(req);
      if (!subject) return notFound(req, reply);
      const body = req.body as Body;
      const target = targetOf(body);
      const shape = linkShape(kind, target);
      const errors = new FormErrors();
      const linkType = choice(body, 'linkType', errors, Object.keys(shape.types), 'Select the type of link');
      const other = str(body, 'otherId');
      const exists = isUuid(other)
        ? target === 'person'
          ? await app.db.selectFrom('person').select('id').where('id', '=', other).where('id', '!=', subject.id).executeTakeFirst()
          : target === 'group'
            ? await app.db.selectFrom('network_group').select('id').where('id', '=', other).where('id', '!=', subject.id).executeTakeFirst()
            : await app.db.selectFrom('place').select('id').where('id', '=', other).executeTakeFirst()
        : undefined;
      if (!exists) errors.add('otherId', target === 'person' ? 'Search for the other person, then choose them' : `Select the ${target} from the list`);
      const facts = readLinkFacts(body, errors);
      if (facts?.grading && !can(req.actor!.roles, 'intelligence.c')) errors.add('sourceEvaluation', 'Only the police record graded intelligence');
      if (errors.any || !facts || !linkType || !exists) {
        // The person chosen stays chosen while the rest is put right.
        const results = target === 'person' ? (exists ? await app.db.selectFrom('person').select(['id', 'given_name', 'family_name', 'date_of_birth']).where('id', '=', exists.id).execute() : []) : undefined;
        return page(req, reply.code(400), subject, target, { errors, values: body, results });
      }
      const link: NewLink = { kind: shape.kind, linkType };
      if (kind === 'person') link.personId = subject.id;
      else link.groupId = subject.id;
      if (target === 'person') link.otherPersonId = other;
      else if (target === 'group') link[kind === 'person' ? 'groupId' : 'otherGroupId'] = other;
      else link.placeId = other;
      await transact(req, async (trx, audit) => {
        const id = await recordLink(trx, req.actor!, link, facts);
        await audit({ recordType: 'association', recordId: id, personId: link.personId ?? null, detail: { kind: link.kind, type: linkType, graded: Boolean(facts.grading) } });
      });
      return reply.redirect(kind === 'person' ? `/people/${subject.id}/links` : `/groups/${subject.id}`, 303);
    },
  });
  return page;
}

type Ends = { person_id: string | null; other_person_id: string | null; p1_given: string | null; p1_family: string | null; p2_given: string | null; p2_family: string | null; group_name: string | null; other_group_name: string | null; place_name: string | null };

function describeEnds(r: Ends, name: (p: { id: string; given_name: string; family_name: string }) => string) {
  const ends = [
    r.person_id && name({ id: r.person_id, given_name: r.p1_given!, family_name: r.p1_family! }),
    r.other_person_id && name({ id: r.other_person_id, given_name: r.p2_given!, family_name: r.p2_family! }),
    r.group_name,
    r.other_group_name,
    r.place_name,
  ].filter(Boolean);
  return ends.join(' and ');
}

function backTo(link: { person_id: string | null; group_id: string | null }) {
  return link.person_id ? `/people/${link.person_id}/links` : `/groups/${link.group_id}`;
}
