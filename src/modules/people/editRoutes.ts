// Adding to a person's record: aliases, identifiers, addresses, safety
// markers, involvement flags. One shape for all: read the form, refuse with
// the page and its errors (nothing saved), else save, audit and refresh the
// search keys in one transaction.
import type { FastifyInstance } from 'fastify';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { declareRoute, transact, type RequestActor } from '../../platform/routes.ts';
import { FormErrors, isUuid, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { londonToday } from '../../platform/time.ts';
import { STALE, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import type { Permission } from '../../platform/permissions.ts';
import { findPerson, refreshMatchKeys } from './queries.ts';
import { readAddress, readAlias, readIdentifier, readInvolvement, readMarker } from './forms.ts';
import { renderPerson } from './routes.ts';

interface SubForm<T> {
  url: string;
  audit: string;
  access?: Permission;
  read: (body: Body, errors: FormErrors) => T | null;
  /** Returns the new row's id, or false when what it names is not there (or not the caller's agency's to change). */
  save: (trx: Transaction<DB>, personId: string, value: T, actor: RequestActor, itemId: string | undefined) => Promise<string | boolean>;
  /** Whether names, addresses or identifiers changed, so the search keys must follow. */
  rekey?: boolean;
  /** The section of the page to return to. */
  anchor: string;
  /**
   * Set when the form changes or ends what is there rather than adding to it:
   * it claims the person's version the page was read at, and is refused
   * beside this field when someone changed the record since.
   */
  edits?: { field: string };
}

/** The changes that move a person's version on: who made the latest is named when a save is refused. */
export const PERSON_CHANGES = ['person.marker-remove', 'person.involvement-end', 'cohort.decide', 'cohort.end', 'person.merge', 'person.merge-undo'];

export function subForm<T>(app: FastifyInstance, spec: SubForm<T>): void {
  declareRoute(app, {
    method: 'POST',
    url: spec.url,
    access: spec.access ?? 'person.record',
    audit: spec.audit,
    handler: async (req, reply) => {
      const params = req.params as { id: string; itemId?: string };
      if (!isUuid(params.id) || !(await findPerson(app.db, params.id))) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const value = spec.read(body, errors);
      if (params.itemId !== undefined && !isUuid(params.itemId)) return notFound(req, reply);
      if (!value || errors.any) return renderPerson(req, reply, params.id, { errors, values: body, status: 400 });
      const done = await orStale(
        transact(req, async (trx, audit) => {
          const saved = await spec.save(trx, params.id, value, req.actor!, params.itemId);
          if (saved === false) return false;
          // Claimed after the save, in the same transaction: another agency's item answers as missing, not as changed.
          if (spec.edits) await claimVersion(trx, 'person', params.id, versionRead(body));
          await audit({ recordType: 'person', recordId: params.id, personId: params.id, detail: typeof saved === 'string' ? { id: saved } : { item: params.itemId } });
          if (spec.rekey) await refreshMatchKeys(trx, [params.id]);
          return true;
        }),
      );
      if (done === STALE) {
        errors.add(spec.edits!.field, await staleError(app.db, { type: 'person', id: params.id, actions: PERSON_CHANGES }, 'record'));
        return renderPerson(req, reply, params.id, { errors, values: body, status: 409 });
      }
      if (!done) return notFound(req, reply);
      return reply.redirect(`/people/${params.id}#${spec.anchor}`, 303);
    },
  });
}

const rowId = (row: { id: string }) => row.id;

/** Ends one of the caller's agency's own items on a person (a marker, an involvement flag); another agency's answers as missing. */
function endOwn(app: FastifyInstance, spec: { url: string; audit: string; anchor: string; table: 'person_marker' | 'person_involvement'; ended: 'removed_at' | 'ended_on'; set: (actor: RequestActor) => Record<string, unknown> }): void {
  subForm(app, {
    url: spec.url,
    audit: spec.audit,
    anchor: spec.anchor,
    edits: { field: spec.anchor },
    read: (body) => body,
    save: async (trx, personId, _body, actor, itemId) => {
      const ended = await trx
        .updateTable(spec.table)
        .set(spec.set(actor))
        .where('person_id', '=', personId)
        .where('id', '=', itemId!)
        .where('agency_id', '=', actor.agencyId)
        .where(spec.ended, 'is', null)
        .executeTakeFirst();
      return ended.numUpdatedRows > 0n;
    },
  });
}

export function registerPersonEdits(app: FastifyInstance): void {
  subForm(app, {
    url: '/people/:id/aliases',
    audit: 'person.alias',
    read: readAlias,
    rekey: true,
    anchor: 'names',
    save: (trx, personId, a, actor) =>
      trx.insertInto('person_alias').values({ person_id: personId, given_name: a.givenName, family_name: a.familyName, kind: a.kind, recorded_by: actor.userId }).returning('id').executeTakeFirstOrThrow().then(rowId),
  });

  subForm(app, {
    url: '/people/:id/identifiers',
    audit: 'person.identifier',
    read: readIdentifier,
    rekey: true,
    anchor: 'identifiers',
    save: (trx, personId, i, actor) =>
      trx
        .insertInto('person_identifier')
        .values({ person_id: personId, scheme: i.scheme, value: i.value, agency_id: i.scheme === 'agency' ? actor.agencyId : null, recorded_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then(rowId),
  });

  subForm(app, {
    url: '/people/:id/addresses',
    audit: 'person.address',
    read: readAddress,
    rekey: true,
    anchor: 'addresses',
    save: async (trx, personId, a, actor) => {
      // The new address is the current one: the last one ends the day this one starts.
      if (a.fromDate) await trx.updateTable('person_address').set({ to_date: a.fromDate }).where('person_id', '=', personId).where('to_date', 'is', null).where('from_date', '<=', a.fromDate).execute();
      await trx.updateTable('person').set({ address: a.address, postcode: a.postcode, updated_at: new Date() }).where('id', '=', personId).execute();
      return trx.insertInto('person_address').values({ person_id: personId, address: a.address, postcode: a.postcode, from_date: a.fromDate, recorded_by: actor.userId }).returning('id').executeTakeFirstOrThrow().then(rowId);
    },
  });

  subForm(app, {
    url: '/people/:id/markers',
    audit: 'person.marker',
    read: readMarker,
    anchor: 'markers',
    save: (trx, personId, m, actor) =>
      trx.insertInto('person_marker').values({ person_id: personId, kind: m.kind, detail: m.detail, agency_id: actor.agencyId, recorded_by: actor.userId }).returning('id').executeTakeFirstOrThrow().then(rowId),
  });

  // Only the agency that raised a marker takes it down.
  endOwn(app, { url: '/people/:id/markers/:itemId/remove', audit: 'person.marker-remove', anchor: 'markers', table: 'person_marker', ended: 'removed_at', set: (actor) => ({ removed_at: new Date(), removed_by: actor.userId }) });

  subForm(app, {
    url: '/people/:id/involvements',
    audit: 'person.involvement',
    read: readInvolvement,
    anchor: 'involvement',
    save: (trx, personId, f, actor) =>
      trx
        .insertInto('person_involvement')
        .values({ person_id: personId, agency_id: actor.agencyId, kind: f.kind, since: f.since, contact_name: f.contactName, contact_detail: f.contactDetail, recorded_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then(rowId),
  });

  endOwn(app, { url: '/people/:id/involvements/:itemId/end', audit: 'person.involvement-end', anchor: 'involvement', table: 'person_involvement', ended: 'ended_on', set: () => ({ ended_on: londonToday() }) });
}
