// Subject access request pages for the information governance officer: the
// list with each clock, recording a request, one request (its clock, finding
// the person, marking redactions, answering it) and the bundle as a page to
// print and as JSON. Routes read forms and render; subjectAccess.ts decides.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, dateInput, isUuid, list, str, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { londonToday } from '../../platform/time.ts';
import { versionRead } from '../../platform/versions.ts';
import { saveChange, type Refusal } from '../../platform/changes.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { EXEMPTIONS, RELATIONSHIPS, candidatesFor, choosePerson, completeRequest, extendRequest, gatherBundle, markRedactions, readRequest, recordRequest, redacted, type Exemption } from './subjectAccess.ts';

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
/** The clock in words, for the list and the request. */
function clock(r: { due_on: string; completed_on: string | null; extended_reason: string | null }, today = londonToday()) {
  const left = daysBetween(today, String(r.due_on));
  return { dueOn: String(r.due_on), left, overdue: !r.completed_on && left < 0, extended: Boolean(r.extended_reason) };
}

export function registerSubjectAccess(app: FastifyInstance): void {
  const find = (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? app.db.selectFrom('subject_access_request').selectAll().where('id', '=', id).executeTakeFirst() : Promise.resolve(undefined);
  };
  type Request = NonNullable<Awaited<ReturnType<typeof find>>>;

  const newPage = (reply: FastifyReply, values: Body, errors?: FormErrors) => reply.page('governance/views/sar-new.njk', { values, errors, relationships: RELATIONSHIPS });

  /** The request's page: its clock, the people the matcher finds (until one is chosen), then the bundle's items to mark. Reading it is audited. */
  const requestPage = async (req: FastifyRequest, reply: FastifyReply, r: Request, extra: { errors?: FormErrors; values?: Body } = {}) => {
    const data = await transact(req, async (trx, audit) => {
      if (!r.person_id) {
        const candidates = await candidatesFor(trx, r);
        await audit({ action: 'sar.match', recordType: 'subject_access_request', recordId: r.id, detail: { candidates: candidates.length } });
        return { candidates, sections: null, marks: new Map<string, string>() };
      }
      const sections = await gatherBundle(trx, r.person_id);
      const marks = new Map((await trx.selectFrom('subject_access_redaction').select(['item_key', 'exemption']).where('request_id', '=', r.id).execute()).map((m) => [m.item_key, m.exemption]));
      await audit({ action: 'sar.view', recordType: 'subject_access_request', recordId: r.id, personId: r.person_id, detail: { items: sections.reduce((n, s) => n + s.items.length, 0), redacted: marks.size } });
      return { candidates: null, sections, marks };
    });
    return reply.page('governance/views/sar.njk', { r, clock: clock(r), ...data, marks: Object.fromEntries(data.marks), exemptions: EXEMPTIONS, relationships: RELATIONSHIPS, values: extra.values ?? {}, errors: extra.errors });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/subject-access',
    access: 'sar.manage',
    audit: null,
    handler: async (_req, reply) => {
      const rows = await app.db.selectFrom('subject_access_request').select(['id', 'reference', 'received_on', 'due_on', 'completed_on', 'extended_reason', 'person_id']).orderBy('completed_on', (ob) => ob.nullsFirst()).orderBy('due_on').limit(500).execute();
      return reply.page('governance/views/sars.njk', { rows: rows.map((r) => ({ ...r, clock: clock(r) })) });
    },
  });

  declareRoute(app, { method: 'GET', url: '/subject-access/new', access: 'sar.manage', audit: null, handler: (_req, reply) => newPage(reply, {}) });

  declareRoute(app, {
    method: 'POST',
    url: '/subject-access',
    access: 'sar.manage',
    audit: 'sar.record',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readRequest(body, errors);
      if (!input) return newPage(reply.code(400), body, errors);
      const id = await transact(req, async (trx, audit) => {
        const id = await recordRequest(trx, { userId: req.actor!.userId! }, input);
        await audit({ recordType: 'subject_access_request', recordId: id, detail: { relationship: input.relationship, identityChecked: Boolean(input.identityCheckedOn) } });
        return id;
      });
      return reply.redirect(`/subject-access/${id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/subject-access/:id',
    access: 'sar.manage',
    audit: 'sar.view',
    handler: async (req, reply) => {
      const r = await find(req);
      return r ? requestPage(req, reply, r) : notFound(req, reply);
    },
  });

  /** One change to a request from the version its page read: refused field by field, or as stale with the words kept. */
  const change = (url: string, action: string, field: string, work: (req: FastifyRequest, r: Request, body: Body, errors: FormErrors) => null | ((trx: Transaction<DB>) => Promise<string | Refusal>)) =>
    declareRoute(app, {
      method: 'POST',
      url,
      access: 'sar.manage',
      audit: action,
      handler: async (req, reply) => {
        const r = await find(req);
        if (!r) return notFound(req, reply);
        const body = req.body as Body;
        const errors = new FormErrors();
        const run = work(req, r, body, errors);
        if (!run) return requestPage(req, reply.code(400), r, { errors, values: body });
        return saveChange(req, reply, {
          run: async (trx, audit) => {
            const out = await run(trx);
            if (typeof out === 'string') await audit({ recordType: 'subject_access_request', recordId: r.id, personId: r.person_id });
            return out;
          },
          record: { type: 'subject_access_request', id: r.id, actions: ['sar.person', 'sar.extend', 'sar.redact', 'sar.complete'] },
          what: 'request',
          field,
          errors,
          again: async (code, stale) => requestPage(req, reply.code(code), stale ? (await find(req))! : r, { errors, values: body }),
          then: `/subject-access/${r.id}`,
        });
      },
    });

  change('/subject-access/:id/person', 'sar.person', 'personId', (_req, r, body, errors) => {
    const personId = str(body, 'personId');
    if (!isUuid(personId)) {
      errors.add('personId', 'Select the person from the list');
      return null;
    }
    return (trx) => choosePerson(trx, r, versionRead(body), personId);
  });

  change('/subject-access/:id/extend', 'sar.extend', 'extendedReason', (_req, r, body, errors) => {
    const reason = text(body, 'extendedReason', errors, { label: 'Why more time is needed', required: true, max: 1000, missing: 'Say why more time is needed: the request is complex, or there are several' });
    return reason ? (trx) => extendRequest(trx, r, versionRead(body), reason) : null;
  });

  change('/subject-access/:id/redactions', 'sar.redact', 'redactions', (req, r, body, errors) => {
    const keys = list(body, 'redact');
    const marks = keys.map((key) => ({ key, exemption: str(body, `exemption-${key}`) as Exemption, note: str(body, `note-${key}`) || null }));
    for (const m of marks) if (!(m.exemption in EXEMPTIONS)) errors.add(`exemption-${m.key}`, 'Select the exemption each withheld item is withheld under');
    if (errors.any) return null;
    return (trx) => markRedactions(trx, { userId: req.actor!.userId! }, r, versionRead(body), marks);
  });

  change('/subject-access/:id/complete', 'sar.complete', 'sentOn', (_req, r, body, errors) => {
    const sentOn = dateInput(body, 'sentOn', errors, { label: 'The date it was sent', required: true, minYear: 2000 });
    if (sentOn && sentOn > londonToday()) errors.add('sentOn-day', 'The date it was sent must be today or in the past');
    return sentOn && !errors.any ? (trx) => completeRequest(trx, r, versionRead(body), sentOn) : null;
  });

  /** The bundle as released, redactions applied: reading it is audited as a disclosure of the person's data. */
  const bundle = async (req: FastifyRequest, r: Request) =>
    transact(req, async (trx, audit) => {
      const sections = await gatherBundle(trx, r.person_id!);
      const marks = new Map((await trx.selectFrom('subject_access_redaction').select(['item_key', 'exemption']).where('request_id', '=', r.id).execute()).map((m) => [m.item_key, m.exemption as Exemption]));
      await audit({ recordType: 'subject_access_request', recordId: r.id, personId: r.person_id, detail: { redacted: marks.size } });
      return redacted(sections, marks);
    });

  declareRoute(app, {
    method: 'GET',
    url: '/subject-access/:id/bundle',
    access: 'sar.manage',
    audit: 'sar.bundle',
    handler: async (req, reply) => {
      const r = await find(req);
      if (!r?.person_id) return notFound(req, reply);
      return reply.page('governance/views/sar-bundle.njk', { r, sections: await bundle(req, r), clock: clock(r), today: londonToday() });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/subject-access/:id/bundle.json',
    access: 'sar.manage',
    audit: 'sar.bundle',
    handler: async (req, reply) => {
      const r = await find(req);
      if (!r?.person_id) return notFound(req, reply);
      const sections = await bundle(req, r);
      return reply
        .header('content-disposition', `attachment; filename="${r.reference}.json"`)
        .type('application/json')
        .send({ reference: r.reference, receivedOn: r.received_on, dueOn: r.due_on, producedOn: londonToday(), controller: 'The community safety partnership, through Reachable', sections: sections.map((s) => ({ title: s.title, items: s.items.map((i) => (i.withheld ? { withheld: i.withheld } : { text: i.text })) })) });
    },
  });
}
