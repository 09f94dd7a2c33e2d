// Families (seed 002: "a whole family approach … every family having a single
// champion / point of contact"): a household's members and how they are
// related, one champion, and on one page every member's involvement and open
// work, each opening only for those who may see what is behind it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact, actorOf } from '../../platform/routes.ts';
import { FormErrors, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { STALE, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { findPerson, involvementFlags } from '../people/queries.ts';
import { linkFlags } from '../people/record.ts';
import { renderPerson } from '../people/routes.ts';
import { auditedSearch } from '../people/candidates.ts';
import { readSearchTerms } from '../people/forms.ts';
import { assignableWorkers } from '../urgent-response/queries.ts';
import { RELATIONSHIPS, readRelationship } from './rules.ts';

export function registerFamilies(app: FastifyInstance): void {
  const load = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? app.db.selectFrom('family').leftJoin('app_user as champion', 'champion.id', 'family.champion_id').leftJoin('agency', 'agency.id', 'champion.agency_id').selectAll('family').select(['champion.display_name as champion_name', 'champion.email as champion_email', 'agency.name as champion_agency']).where('family.id', '=', id).executeTakeFirst() : undefined;
  };
  type Family = NonNullable<Awaited<ReturnType<typeof load>>>;

  async function page(req: FastifyRequest, reply: FastifyReply, family: Family, extra: { errors?: FormErrors; values?: Body; results?: unknown[]; status?: number } = {}) {
    const actor = req.actor!;
    const data = await transact(req, async (trx, audit) => {
      const members = await trx
        .selectFrom('family_member')
        .innerJoin('person', 'person.id', 'family_member.person_id')
        .select(['family_member.id as member_id', 'family_member.relationship', 'person.id', 'person.given_name', 'person.family_name', 'person.date_of_birth'])
        .where('family_member.family_id', '=', family.id)
        .orderBy('family_member.added_at')
        .execute();
      const flags = await linkFlags(trx, actor, await involvementFlags(trx, members.map((m) => m.id)));
      for (const m of members) await audit({ action: 'family.view', recordType: 'family', recordId: family.id, personId: m.id });
      if (!members.length) await audit({ action: 'family.view', recordType: 'family', recordId: family.id });
      return { members: members.map((m) => ({ ...m, flags: flags.filter((f) => f.person_id === m.id) })) };
    });
    return reply.code(extra.status ?? (extra.errors ? 400 : 200)).page('families/views/family.njk', {
      family,
      ...data,
      relationships: RELATIONSHIPS,
      workers: can(actor.roles, 'family.manage') ? await assignableWorkers(app.db) : [],
      canManage: can(actor.roles, 'family.manage'),
      values: extra.values ?? { championId: family.champion_id },
      errors: extra.errors,
      results: extra.results,
    });
  }

  declareRoute(app, {
    method: 'POST',
    url: '/people/:id/families',
    access: 'family.manage',
    audit: 'family.create',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const person = isUuid(id) ? await findPerson(app.db, id) : undefined;
      if (!person) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const name = text(body, 'familyName', errors, { label: 'Family name', required: true, max: 150, missing: 'Enter a name for the family, like “The Brown family, Higham Hill”' });
      const relationship = readRelationship(body, errors);
      if (errors.any || !name || !relationship) {
        return renderPerson(req, reply, person.id, { errors, values: body, status: 400 });
      }
      const actor = req.actor!;
      const familyId = await transact(req, async (trx, audit) => {
        const family = await trx.insertInto('family').values({ name, agency_id: actor.agencyId, created_by: actor.userId, champion_id: null }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('family_member').values({ family_id: family.id, person_id: person.id, relationship, added_by: actor.userId }).execute();
        await audit({ recordType: 'family', recordId: family.id, personId: person.id });
        return family.id;
      });
      return reply.redirect(`/families/${familyId}`, 303);
    },
  });

  /** A change from a page someone else has changed since: the page again, fresh, with who changed it and the user's choices kept. */
  async function refuseStaleFamily(req: FastifyRequest, reply: FastifyReply, field: string, body: Body) {
    const fresh = await load(req);
    if (!fresh) return notFound(req, reply);
    const errors = new FormErrors();
    errors.add(field, await staleError(app.db, { type: 'family', id: fresh.id, actions: ['family.champion', 'family.remove-member'] }, 'family'));
    return page(req, reply, fresh, { errors, values: body, status: 409 });
  }

  declareRoute(app, {
    method: 'GET',
    url: '/families/:id',
    access: 'family.read',
    audit: 'family.view',
    handler: async (req, reply) => {
      const family = await load(req);
      return family ? page(req, reply, family) : notFound(req, reply);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/families/:id/champion',
    access: 'family.manage',
    audit: 'family.champion',
    handler: async (req, reply) => {
      const family = await load(req);
      if (!family) return notFound(req, reply);
      const body = req.body as Body;
      const championId = str(body, 'championId');
      if (!(await assignableWorkers(app.db)).some((w) => w.id === championId)) {
        const errors = new FormErrors();
        errors.add('championId', 'Select the family’s champion: the one professional the family deals with');
        return page(req, reply, family, { errors, values: body });
      }
      const saved = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'family', family.id, versionRead(body));
          await trx.updateTable('family').set({ champion_id: championId }).where('id', '=', family.id).execute();
          await audit({ recordType: 'family', recordId: family.id, detail: { from: family.champion_id, to: championId } });
        }),
      );
      if (saved === STALE) return refuseStaleFamily(req, reply, 'championId', body);
      return reply.redirect(`/families/${family.id}#champion`, 303);
    },
  });

  // Finding someone to add is a POST: names stay out of URLs and logs.
  declareRoute(app, {
    method: 'POST',
    url: '/families/:id/members/search',
    access: 'family.manage',
    audit: 'person.search',
    handler: async (req, reply) => {
      const family = await load(req);
      if (!family) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const terms = readSearchTerms(body, errors);
      if (!terms) return page(req, reply, family, { errors, values: body });
      const results = await transact(req, (trx) => auditedSearch(trx, actorOf(req), terms));
      return page(req, reply, family, { values: body, results });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/families/:id/members',
    access: 'family.manage',
    audit: 'family.add-member',
    handler: async (req, reply) => {
      const family = await load(req);
      if (!family) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const relationship = readRelationship(body, errors);
      const personId = str(body, 'personId');
      const person = isUuid(personId) ? await findPerson(app.db, personId) : undefined;
      if (!person) errors.add('name', 'Search for the person to add, then choose them');
      if (errors.any || !relationship || !person) return page(req, reply, family, { errors, values: body });
      const added = await transact(req, async (trx, audit) => {
        const row = await trx.insertInto('family_member').values({ family_id: family.id, person_id: person.id, relationship, added_by: req.actor!.userId }).onConflict((oc) => oc.columns(['family_id', 'person_id']).doNothing()).returning('id').executeTakeFirst();
        if (row) await audit({ recordType: 'family', recordId: family.id, personId: person.id, detail: { relationship } });
        return Boolean(row);
      });
      if (!added) {
        errors.add('name', `${person.given_name} ${person.family_name} is already a member of this family`);
        return page(req, reply, family, { errors, values: body, status: 409 });
      }
      return reply.redirect(`/families/${family.id}#members`, 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/families/:id/members/:itemId/remove',
    access: 'family.manage',
    audit: 'family.remove-member',
    handler: async (req, reply) => {
      const family = await load(req);
      const itemId = (req.params as { itemId: string }).itemId;
      if (!family || !isUuid(itemId)) return notFound(req, reply);
      const body = req.body as Body;
      const removed = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'family', family.id, versionRead(body));
          const row = await trx.deleteFrom('family_member').where('id', '=', itemId).where('family_id', '=', family.id).returning('person_id').executeTakeFirst();
          if (row) await audit({ recordType: 'family', recordId: family.id, personId: row.person_id });
          return Boolean(row);
        }),
      );
      if (removed === STALE) return refuseStaleFamily(req, reply, 'members', body);
      return removed ? reply.redirect(`/families/${family.id}#members`, 303) : notFound(req, reply);
    },
  });
}
