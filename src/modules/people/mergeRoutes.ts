// Finding and merging duplicate records of one child, and undoing a merge.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { findCandidates, findPerson, matchDetailsOf } from './queries.ts';
import { mergePeople, undoMerge } from './merge.ts';

// Looser than the duplicate check on create: here a person is looking on purpose.
const MERGE_SHOW_FROM = 20;

export function registerMerges(app: FastifyInstance): void {
  const page = async (req: FastifyRequest, personId: string) =>
    transact(req, async (trx, audit) => {
      const person = await findPerson(trx, personId);
      if (!person) return undefined;
      const details = (await matchDetailsOf(trx, [personId])).get(personId)!;
      const candidates = await findCandidates(trx, details, { exclude: personId, showFrom: MERGE_SHOW_FROM });
      await audit({ action: 'person.match', recordType: 'person', recordId: personId, personId, detail: { candidates: candidates.map((c) => c.id) } });
      return { person, candidates };
    });

  declareRoute(app, {
    method: 'GET',
    url: '/people/:id/merge',
    access: 'person.merge',
    audit: 'person.match',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const data = isUuid(id) ? await page(req, id) : undefined;
      if (!data) return notFound(req, reply);
      return reply.page('people/views/merge.njk', { ...data, values: {} });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/people/:id/merge',
    access: 'person.merge',
    audit: 'person.merge',
    handler: async (req, reply) => {
      const keptId = (req.params as { id: string }).id;
      if (!isUuid(keptId) || !(await findPerson(app.db, keptId))) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const mergedId = str(body, 'mergedId');
      const reason = text(body, 'reason', errors, { label: 'Reason', required: true, max: 1000, missing: 'Say how you know these are the same person' });
      if (!isUuid(mergedId) || mergedId === keptId || !(await findPerson(app.db, mergedId))) errors.add('mergedId', 'Select the record to merge into this one');
      const result = errors.any
        ? undefined
        : await transact(req, async (trx, audit) => {
            const result = await mergePeople(trx, keptId, mergedId, reason!, req.actor!.userId);
            if ('mergeId' in result) {
              await audit({ recordType: 'person', recordId: keptId, personId: keptId, detail: { merge: result.mergeId, merged: mergedId } });
              await audit({ recordType: 'person', recordId: mergedId, personId: mergedId, detail: { merge: result.mergeId, into: keptId } });
            }
            return result;
          });
      if (result && 'problems' in result) for (const p of result.problems) errors.add('mergedId', p);
      if (!result || errors.any) {
        const data = await page(req, keptId);
        return reply.code(400).page('people/views/merge.njk', { ...data, errors, values: body });
      }
      return reply.redirect(`/people/${keptId}#merge`, 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/people/merges/:id/undo',
    access: 'person.merge',
    audit: 'person.merge-undo',
    handler: async (req, reply) => {
      const mergeId = (req.params as { id: string }).id;
      const undone = isUuid(mergeId)
        ? await transact(req, async (trx, audit) => {
            const undone = await undoMerge(trx, mergeId, req.actor!.userId);
            if (undone) for (const personId of [undone.keptId, undone.mergedId]) await audit({ recordType: 'person', recordId: personId, personId, detail: { merge: mergeId } });
            return undone;
          })
        : undefined;
      if (!undone) return notFound(req, reply);
      return reply.redirect(`/people/${undone.keptId}#merge`, 303);
    },
  });
}
