// Critical incident pages (issue 20): the list, declaring one from an
// incident, its community impact assessment (assessed and reviewed as
// versions, the record of contact, reassurance actions, closing), and the
// briefing. Routes read the form, call the operation in queries.ts and
// render; the leading-agency rule and the version check are in the
// operations, so no entrance can skip them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, dateTimeParts, isUuid, str, type Body } from '../../platform/forms.ts';
import { STALE, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { lineChart } from '../../platform/charts.ts';
import { areasWithin, boroughsOnGrid } from '../../analysis/geography.ts';
import { findIncident } from '../incidents/queries.ts';
import { partnerAgencies } from '../actions/queries.ts';
import { readAction } from '../actions/rules.ts';
import { personNamer, type Namer } from '../people/naming.ts';
import { PLACE_KINDS } from '../network/rules.ts';
import {
  AFFECTED_METRES,
  BORDER_METRES,
  CHANNELS,
  CLOSURE_REASONS,
  CONTACT_KINDS,
  INDICATOR_KINDS,
  INDICATOR_STATES,
  PARTNER_KINDS,
  REASONS,
  REASSURANCE_KINDS,
  TENSION_LEVELS,
  nextStep,
  otherChanges,
  readAssessment,
  readClosure,
  readContact,
  readDeclaration,
  readReassuranceKind,
  tensionChange,
  tensionName,
} from './rules.ts';
import { addContact, assessmentsOf, mayChange, placesNear, closeCritical, contactsOf, declareCritical, findCritical, giveReassurance, openCritical, reassuranceOf, recentlyClosed, saveAssessment, type AssessmentRow, type CriticalRow, type Refusal } from './queries.ts';
import { PERSONAL_SECTIONS, PLACE_SECTIONS, briefing, incidentsNear } from './briefing.ts';
import { wardTension } from './figures.ts';
import { impactMap } from './map.ts';

const labels = { reasons: REASONS, tensionLevels: TENSION_LEVELS, indicatorKinds: INDICATOR_KINDS, indicatorStates: INDICATOR_STATES, partnerKinds: PARTNER_KINDS, channels: CHANNELS, contactKinds: CONTACT_KINDS, reassuranceKinds: REASSURANCE_KINDS, closureReasons: CLOSURE_REASONS, placeKinds: PLACE_KINDS };
const CHANGES = ['critical.assess', 'critical.contact', 'critical.reassurance', 'critical.close'];
const id = (req: FastifyRequest) => (req.params as { id: string }).id;

export function registerCriticalIncidents(app: FastifyInstance): void {
  const load = async (req: FastifyRequest) => (isUuid(id(req)) ? findCritical(app.db, id(req)) : undefined);

  declareRoute(app, {
    method: 'GET',
    url: '/critical-incidents',
    access: 'critical.read',
    audit: null,
    handler: async (req, reply) => {
      const now = new Date();
      const [open, closed, wards] = await Promise.all([openCritical(app.db), recentlyClosed(app.db, new Date(now.getTime() - 30 * 86_400_000)), wardTension(app.db)]);
      const withStep = open.map((c) => ({ ...c, step: nextStep(c.declared_at, c.assessments, now) }));
      return reply.page('critical-incidents/views/list.njk', {
        open: withStep,
        due: withStep.filter((c) => c.step.dueAt.getTime() - now.getTime() < 86_400_000).sort((a, b) => a.step.dueAt.getTime() - b.step.dueAt.getTime()),
        closed,
        wards,
        tensionName,
        ...labels,
      });
    },
  });

  // ---- Declaring --------------------------------------------------------------
  const declarable = async (req: FastifyRequest) => (isUuid(id(req)) ? findIncident(app.db, req.actor!.agencyId, id(req)) : undefined);
  const declarePage = async (req: FastifyRequest, reply: FastifyReply, values: Body, errors?: FormErrors) => {
    const incident = await declarable(req);
    if (!incident) return notFound(req, reply);
    const existing = await app.db.selectFrom('critical_incident').select('id').where('incident_id', '=', incident.id).executeTakeFirst();
    if (existing) return reply.redirect(`/critical-incidents/${existing.id}`, 303);
    return reply.code(errors ? 400 : 200).page('critical-incidents/views/declare.njk', { incident, values, errors, ...labels });
  };
  declareRoute(app, { method: 'GET', url: '/incidents/:id/critical', access: 'critical.declare', audit: null, handler: (req, reply) => declarePage(req, reply, {}) });
  declareRoute(app, {
    method: 'POST',
    url: '/incidents/:id/critical',
    access: 'critical.declare',
    audit: 'critical.declare',
    handler: async (req, reply) => {
      const errors = new FormErrors();
      const declaration = readDeclaration(req.body as Body, errors);
      if (!declaration || !isUuid(id(req))) return declarePage(req, reply, req.body as Body, errors);
      const result = await transact(req, async (trx, audit) => {
        const result = await declareCritical(trx, { userId: req.actor!.userId, agencyId: req.actor!.agencyId }, id(req), declaration);
        if ('reference' in result) await audit({ recordType: 'critical_incident', recordId: result.id, detail: { incident: id(req), reason: declaration.reason, told: result.told } });
        return result;
      });
      if ('refused' in result) return result.id ? reply.redirect(`/critical-incidents/${result.id}`, 303) : notFound(req, reply);
      // The near-repeat window takes seconds to work out: started now, it is there when the briefing is opened.
      const name = await personNamer(req);
      void findCritical(app.db, result.id)
        .then((ci) => ci && briefing(app.db, req.actor!, name, ci, ['nearRepeat']))
        .catch((error: unknown) => req.log.error({ err: error }, 'starting the near-repeat window failed'));
      return reply.redirect(`/critical-incidents/${result.id}`, 303);
    },
  });

  // ---- The assessment ---------------------------------------------------------
  /** The page: read by everyone on the response; indicators naming people only for those who may see people. */
  const show = async (req: FastifyRequest, reply: FastifyReply, ci: CriticalRow, extra: { errors?: FormErrors; values?: Body; status?: number } = {}) => {
    const actor = req.actor!;
    const name = await personNamer(req);
    const seesPeople = can(actor.roles, 'person.read');
    const { versions, contacts, actions, agencies, people } = await transact(req, async (trx, audit) => {
      const versions = await assessmentsOf(trx, ci.id);
      const people = seesPeople ? await peopleNamed(trx, versions, name) : new Map<string, string>();
      await audit({ action: 'critical.view', recordType: 'critical_incident', recordId: ci.id, detail: { people: people.size } });
      for (const personId of people.keys()) await audit({ action: 'critical.view', recordType: 'critical_incident', recordId: ci.id, personId });
      return { versions, people, contacts: await contactsOf(trx, ci.id), actions: await reassuranceOf(trx, ci.id), agencies: await partnerAgencies(trx) };
    });
    const leads = can(actor.roles, 'critical.assess') && mayChange(ci, actor.agencyId);
    const latest = versions.at(-1);
    const points = versions.map((v) => ({ label: v.number === 0 ? 'Assessment' : `Review ${v.number}`, value: v.tension_level }));
    const borough = boroughsOnGrid().find((b) => b.code === ci.borough_code);
    const neighbours = ci.easting !== null && ci.northing !== null ? areasWithin(ci.easting, ci.northing, BORDER_METRES, boroughsOnGrid()).filter((b) => b.area.code !== ci.borough_code) : [];
    const places = latest?.place_ids.length ? await app.db.selectFrom('place').select(['id', 'name', 'kind', 'easting', 'northing']).where('id', 'in', latest.place_ids).orderBy('name').execute() : [];
    return reply.code(extra.status ?? 200).page('critical-incidents/views/show.njk', {
      ci,
      step: ci.closed_at ? null : nextStep(ci.declared_at, ci.assessments, new Date()),
      latest: latest && describe(latest, seesPeople, people),
      history: versions.map((v, i) => ({ ...v, change: tensionChange(i ? versions[i - 1].tension_level : null, v.tension_level), also: i ? otherChanges(versions[i - 1], v) : [] })).reverse(),
      chart: versions.length ? lineChart({ title: 'Tension level at each assessment and review (1 normal to 5 critical)', points, small: false }) : null,
      places,
      map: impactMap(app, { ...ci, label: `Incident ${ci.incident_reference}: ${ci.place_description}` }, places),
      contacts: { consulted: contacts.filter((c) => c.kind === 'consulted'), boroughs: contacts.filter((c) => c.kind === 'borough_told'), said: contacts.filter((c) => c.kind === 'said') },
      actions,
      agencies,
      leads,
      neighbours: neighbours.map((n) => ({ name: n.area.name, metres: Math.round(n.metres) })),
      boroughs: boroughsOnGrid().filter((b) => b.code !== borough?.code).map((b) => b.name).sort(),
      values: extra.values ?? { ...dateTimeParts('happenedAt'), actionAgency: actor.agencyId },
      errors: extra.errors,
      version: ci.version,
      tensionName,
      ...labels,
    });
  };

  /** Everyone an indicator names, in any version, by name (or pseudonym). */
  async function peopleNamed(db: Kysely<DB>, versions: AssessmentRow[], name: Namer) {
    const ids = [...new Set(versions.flatMap((v) => v.indicators.flatMap((i) => i.people)))];
    const rows = ids.length ? await db.selectFrom('person').select(['id', 'given_name', 'family_name']).where('id', 'in', ids).execute() : [];
    return new Map(rows.map((p) => [p.id, name(p)]));
  }

  declareRoute(app, {
    method: 'GET',
    url: '/critical-incidents/:id',
    access: 'critical.read',
    audit: 'critical.view',
    handler: async (req, reply) => {
      const ci = await load(req);
      return ci ? show(req, reply, ci) : notFound(req, reply);
    },
  });

  /** The form, filled from the latest version (or empty for the first assessment), with what Reachable already knows beside it. */
  const assessPage = async (req: FastifyRequest, reply: FastifyReply, ci: CriticalRow, values?: Body, errors?: FormErrors, status?: number) => {
    const actor = req.actor!;
    const name = await personNamer(req);
    const versions = await assessmentsOf(app.db, ci.id);
    const latest = versions.at(-1);
    const [affected, nearby] = await Promise.all([affectedPlaces(ci), incidentsNear(app.db, actor.agencyId, ci, 28)]);
    // The incident's people are named on the form (and in the groups beside it): read in the transaction that records each.
    const { people, brief } = await transact(req, async (trx, audit) => {
      const people = await involved(trx, req, ci, name);
      const brief = (await briefing(trx, actor, name, ci, ['groups'])).groups;
      for (const p of people) await audit({ action: 'critical.view', recordType: 'critical_incident', recordId: ci.id, personId: p.id });
      if (!people.length) await audit({ action: 'critical.view', recordType: 'critical_incident', recordId: ci.id });
      return { people, brief };
    });
    const fill: Body = latest
      ? {
          tensionLevel: String(latest.tension_level),
          tensionReason: latest.tension_reason,
          wards: latest.wards.join(', '),
          communities: latest.communities ?? '',
          places: latest.place_ids,
          risks: latest.risks ?? '',
          holdingLine: latest.holding_line ?? '',
          spokesperson: latest.spokesperson ?? '',
          ...Object.fromEntries(latest.indicators.flatMap((i) => [[`indicator-${i.kind}`, i.state], [`evidence-${i.kind}`, i.evidence ?? ''], [`people-${i.kind}`, i.people]])),
        }
      : {};
    return reply.code(status ?? (errors ? 400 : 200)).page('critical-incidents/views/assess.njk', { ci, review: Boolean(latest), number: versions.length, affected, people, nearby, groups: brief.data, values: values ?? fill, errors, version: ci.version, ...labels });
  };

  /** Named places near enough to be affected, nearest first. */
  const affectedPlaces = async (ci: CriticalRow) => (ci.easting === null || ci.northing === null ? [] : placesNear(app.db, { easting: ci.easting, northing: ci.northing }, AFFECTED_METRES));
  /** The incident's people an indicator may name: only for an assessor whose agency may see the incident and who may see people. */
  const involved = async (db: Kysely<DB>, req: FastifyRequest, ci: CriticalRow, name: Namer) => {
    if (!can(req.actor!.roles, 'person.read') || !(await findIncident(db, req.actor!.agencyId, ci.incident_id))) return [];
    const rows = await db.selectFrom('involvement').innerJoin('person', 'person.id', 'involvement.person_id').select(['person.id', 'person.given_name', 'person.family_name']).where('involvement.incident_id', '=', ci.incident_id).execute();
    return rows.map((p) => ({ id: p.id, name: name(p) }));
  };

  const leading = async (req: FastifyRequest) => {
    const ci = await load(req);
    return ci && mayChange(ci, req.actor!.agencyId) ? ci : undefined;
  };
  declareRoute(app, {
    method: 'GET',
    url: '/critical-incidents/:id/assess',
    access: 'critical.assess',
    audit: 'critical.view',
    handler: async (req, reply) => {
      const ci = await leading(req);
      return ci ? assessPage(req, reply, ci) : notFound(req, reply);
    },
  });

  /** Answers a change: the refusal as missing or stale (keeping the user's words), or back to the page. */
  const answer = async (req: FastifyRequest, reply: FastifyReply, ci: CriticalRow, result: object | Refusal | typeof STALE, field: string, onStale: (errors: FormErrors) => Promise<unknown>) => {
    if (result === STALE) {
      const errors = new FormErrors();
      errors.add(field, await staleError(app.db, { type: 'critical_incident', id: ci.id, actions: CHANGES }, 'community impact assessment'));
      return onStale(errors);
    }
    if ('refused' in result) return notFound(req, reply);
    return reply.redirect(`/critical-incidents/${ci.id}`, 303);
  };

  declareRoute(app, {
    method: 'POST',
    url: '/critical-incidents/:id/assess',
    access: 'critical.assess',
    audit: 'critical.assess',
    handler: async (req, reply) => {
      const ci = await leading(req);
      if (!ci) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const [affected, people] = await Promise.all([affectedPlaces(ci), involved(app.db, req, ci, await personNamer(req))]);
      const input = readAssessment(body, errors, { placeIds: affected.map((p) => p.id), personIds: people.map((p) => p.id) });
      if (!input) return assessPage(req, reply, ci, body, errors);
      const result = await orStale(
        transact(req, async (trx, audit) => {
          const saved = await saveAssessment(trx, { userId: req.actor!.userId, agencyId: req.actor!.agencyId }, ci.id, versionRead(body), input);
          if ('number' in saved) await audit({ recordType: 'critical_incident', recordId: ci.id, detail: { number: saved.number, tension: input.tensionLevel } });
          return saved;
        }),
      );
      return answer(req, reply, ci, result, 'tensionLevel', async (stale) => assessPage(req, reply, (await load(req))!, body, stale, 409));
    },
  });

  const change = (url: string, audit: string, field: string, work: (req: FastifyRequest, ci: CriticalRow, body: Body, errors: FormErrors) => Promise<((trx: Transaction<DB>) => Promise<object | Refusal>) | null>) =>
    declareRoute(app, {
      method: 'POST',
      url,
      access: 'critical.assess',
      audit,
      handler: async (req, reply) => {
        const ci = await leading(req);
        if (!ci) return notFound(req, reply);
        const body = req.body as Body;
        const errors = new FormErrors();
        const run = await work(req, ci, body, errors);
        if (!run) return show(req, reply, ci, { errors, values: body, status: 400 });
        const result = await orStale(
          transact(req, async (trx, auditor) => {
            const done = await run(trx);
            if (!('refused' in done)) await auditor({ recordType: 'critical_incident', recordId: ci.id, detail: { ...('reference' in done ? { action: done.reference } : {}) } });
            return done;
          }),
        );
        return answer(req, reply, ci, result, field, async (stale) => show(req, reply, (await load(req))!, { errors: stale, values: body, status: 409 }));
      },
    });
  const by = (req: FastifyRequest) => ({ userId: req.actor!.userId, agencyId: req.actor!.agencyId });

  change('/critical-incidents/:id/contacts', 'critical.contact', 'contactKind', async (req, ci, body, errors) => {
    const input = readContact(body, errors, boroughsOnGrid().map((b) => b.name));
    return input ? (trx) => addContact(trx, by(req), ci.id, versionRead(body), input) : null;
  });
  change('/critical-incidents/:id/reassurance', 'critical.reassurance', 'reassuranceKind', async (req, ci, body, errors) => {
    const kind = readReassuranceKind(body, errors);
    const action = readAction(body, errors, (await partnerAgencies(app.db)).map((a) => a.id));
    return kind && action ? (trx) => giveReassurance(trx, by(req), ci.id, versionRead(body), kind, action) : null;
  });
  change('/critical-incidents/:id/close', 'critical.close', 'closureReason', async (req, ci, body, errors) => {
    const reason = readClosure(body, errors);
    return reason ? (trx) => closeCritical(trx, by(req), ci.id, versionRead(body), reason) : null;
  });

  // ---- The briefing -----------------------------------------------------------
  declareRoute(app, {
    method: 'GET',
    url: '/critical-incidents/:id/briefing',
    access: 'critical.read',
    audit: 'critical.briefing',
    handler: async (req, reply) => {
      const ci = await load(req);
      if (!ci) return notFound(req, reply);
      const name = await personNamer(req);
      const place = await briefing(app.db, req.actor!, name, ci, PLACE_SECTIONS);
      // The people are read in the transaction that records each one the reader was shown, with why.
      const personal = await transact(req, async (trx, audit) => {
        const found = await briefing(trx, req.actor!, name, ci, PERSONAL_SECTIONS);
        await audit({ recordType: 'critical_incident', recordId: ci.id, purpose: 'critical incident briefing', detail: { people: found.read.length } });
        for (const personId of found.read) await audit({ recordType: 'critical_incident', recordId: ci.id, personId, purpose: 'critical incident briefing' });
        return found;
      });
      return reply.page('critical-incidents/views/briefing.njk', { ci, b: { ...place, ...personal }, generatedAt: new Date(), identifies: name.identifies, tensionName, ...labels });
    },
  });
}

/** A version as a reader sees it: an indicator naming people is withheld from those who may not see people. */
function describe(v: AssessmentRow, seesPeople: boolean, people: Map<string, string>) {
  return {
    ...v,
    indicators: v.indicators.map((i) => {
      const hidden = i.people.length > 0 && !seesPeople;
      return { ...i, hidden, evidence: hidden ? null : i.evidence, names: hidden ? [] : i.people.map((p) => people.get(p) ?? 'a person') };
    }),
  };
}
