// Finding and merging duplicate records of one child, and undoing a merge.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { STALE, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { findCandidates, findPerson, matchDetailsOf } from './queries.ts';
import { mergePeople, undoMerge } from './merge.ts';
import { renderPerson } from './routes.ts';
import { PERSON_CHANGES } from './editRoutes.ts';

/** A merge mergePeople refused: its problems, with the transaction (and the version it claimed) rolled back. */
class Refused extends Error {
  constructor(readonly problems: string[]) {
    super('Merge refused');
  }
}

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
        : await orStale(
            transact(req, async (trx, audit) => {
              // Merged as the page showed the record: a change to it since is read first.
              await claimVersion(trx, 'person', keptId, versionRead(body));
              const result = await mergePeople(trx, keptId, mergedId, reason!, req.actor!.userId);
              if ('problems' in result) throw new Refused(result.problems);
              await audit({ recordType: 'person', recordId: keptId, personId: keptId, detail: { merge: result.mergeId, merged: mergedId } });
              await audit({ recordType: 'person', recordId: mergedId, personId: mergedId, detail: { merge: result.mergeId, into: keptId } });
              return result;
            }),
          ).catch((error: unknown) => {
            if (error instanceof Refused) return { problems: error.problems };
            throw error;
          });
      if (result === STALE) {
        errors.add('mergedId', await staleError(app.db, { type: 'person', id: keptId, actions: PERSON_CHANGES }, 'record'));
        const data = await page(req, keptId);
        return reply.code(409).page('people/views/merge.njk', { ...data, errors, values: body });
      }
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
      const merge = isUuid(mergeId) ? await app.db.selectFrom('person_merge').select('kept_id').where('id', '=', mergeId).where('undone_at', 'is', null).executeTakeFirst() : undefined;
      if (!merge) return notFound(req, reply);
      const undone = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'person', merge.kept_id, versionRead(req.body as Body));
          const undone = await undoMerge(trx, mergeId, req.actor!.userId);
          if (undone) for (const personId of [undone.keptId, undone.mergedId]) await audit({ recordType: 'person', recordId: personId, personId, detail: { merge: mergeId } });
          return undone;
        }),
      );
      if (undone === STALE) {
        const errors = new FormErrors();
        errors.add('merge', await staleError(app.db, { type: 'person', id: merge.kept_id, actions: PERSON_CHANGES }, 'record'));
        return renderPerson(req, reply, merge.kept_id, { errors, status: 409 });
      }
      if (!undone) return notFound(req, reply);
      return reply.redirect(`/people/${undone.keptId}#merge`, 303);
    },
  });
}
