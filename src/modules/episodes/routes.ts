// An episode of casework: the timeline of contacts and notes (each at its
// visibility level), goals, outcome measures, reviews, closure; the notes'
// search and export read through the same visibility rule as the page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { declareRoute, transact, type RequestActor } from '../../platform/routes.ts';
import { FormErrors, dateInput, dateParts, dateTimeParts, isUuid, str, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import { londonToday } from '../../platform/time.ts';
import { STALE, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { toCsv, sendCsv } from '../../platform/csv.ts';
import { BENEFIT_STATUSES, CONTACT_METHODS, ETE_STATUSES, GOAL_STATUSES, NOTE_KINDS, OUTCOMES, STAGES, VISIBILITY, lengthWarning, readClosure, readGoal, readGoalProgress, readMeasures, readNote } from './rules.ts';
import { agencyWorkers, closeEpisode, episodeQuery, findEpisode, goalsOf, measuresOf, notesFor, type EpisodeRow } from './queries.ts';
import { readable } from '../governance/breakGlass.ts';

/** The changes that move an episode's version on: who made the latest is named when a save is refused. */
const EPISODE_CHANGES = ['episode.goal', 'episode.review', 'episode.close', 'episode.reassign'];

const labels = { kinds: NOTE_KINDS, methods: CONTACT_METHODS, visibility: VISIBILITY, goalStatuses: GOAL_STATUSES, outcomes: OUTCOMES, stages: STAGES, eteStatuses: ETE_STATUSES, benefitStatuses: BENEFIT_STATUSES };

export function registerEpisodes(app: FastifyInstance): void {
  const load = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? findEpisode(app.db, req.actor!, id) : undefined;
  };

  async function page(req: FastifyRequest, reply: FastifyReply, episode: EpisodeRow, extra: { errors?: FormErrors; values?: Body; status?: number; search?: string; emergencyUntil?: Date } = {}) {
    const actor = req.actor!;
    const today = londonToday();
    const data = await transact(req, async (trx, audit) => {
      // Under emergency access the notes shown are those its agency shares with every partner (visibility "all").
      const [notes, goals, measures] = await Promise.all([notesFor(trx, actor, episode.id, extra.search), goalsOf(trx, episode.id), measuresOf(trx, episode.id)]);
      await audit({ action: extra.search ? 'episode.search' : 'episode.view', recordType: 'episode', recordId: episode.id, personId: episode.person_id, purpose: extra.emergencyUntil ? 'break_glass' : undefined, detail: { notes: notes.length } });
      return { notes, goals, measures };
    });
    const works = episode.agency_id === actor.agencyId && can(actor.roles, 'episode.work') && !episode.closed_on;
    return reply.code(extra.status ?? (extra.errors ? 400 : 200)).page('episodes/views/episode.njk', {
      episode,
      ...data,
      measured: Object.fromEntries(data.measures.map((m) => [m.stage, m])),
      warning: lengthWarning(episode.started_on, episode.planned_end_on, today, Boolean(episode.closed_on)),
      today,
      search: extra.search ?? '',
      can: { work: works, reassign: episode.agency_id === actor.agencyId && can(actor.roles, 'caseload.manage') && !episode.closed_on, refer: works && can(actor.roles, 'referral.send') },
      workers: episode.agency_id === actor.agencyId ? await agencyWorkers(app.db, actor.agencyId) : [],
      values: extra.values ?? { ...dateTimeParts('happenedAt'), ...dateParts('measuredOn', today), ...dateParts('closedOn', today), ...dateParts('reviewOn', episode.review_on), visibility: 'all' },
      errors: extra.errors,
      emergencyUntil: extra.emergencyUntil,
      ...labels,
    });
  }

  declareRoute(app, {
    method: 'GET',
    url: '/episodes/:id',
    access: 'episode.read',
    audit: 'episode.view',
    handler: async (req, reply) => {
      // Reading (never working on) an episode may be under an emergency-access grant.
      const id = (req.params as { id: string }).id;
      const found = isUuid(id) ? await readable(app.db, req.actor!, 'episode', id, { own: () => findEpisode(app.db, req.actor!, id), any: () => episodeQuery(app.db).where('episode.id', '=', id).executeTakeFirst() }) : undefined;
      return found ? page(req, reply, found.record, { emergencyUntil: found.grant?.expires_at }) : notFound(req, reply);
    },
  });

  // Searching the notes is a POST: what a worker searches for may itself be personal data, and stays out of URLs and logs.
  declareRoute(app, {
    method: 'POST',
    url: '/episodes/:id/notes/search',
    access: 'episode.read',
    audit: 'episode.search',
    handler: async (req, reply) => {
      const episode = await load(req);
      if (!episode) return notFound(req, reply);
      const search = str(req.body as Body, 'q').slice(0, 200);
      return page(req, reply, episode, search ? { search } : {});
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/episodes/:id/notes.csv',
    access: 'episode.read',
    audit: 'episode.export',
    handler: async (req, reply) => {
      const episode = await load(req);
      if (!episode) return notFound(req, reply);
      const notes = await transact(req, async (trx, audit) => {
        const notes = await notesFor(trx, req.actor!, episode.id);
        await audit({ recordType: 'episode', recordId: episode.id, personId: episode.person_id, detail: { notes: notes.length } });
        return notes;
      });
      const csv = toCsv(
        ['happened_at', 'kind', 'method', 'visibility', 'author', 'agency', 'note'],
        notes.map((n) => [n.happened_at, n.kind, n.method, n.visibility, n.author_name, n.author_agency, n.body]),
      );
      return sendCsv(reply, 'reachable-episode-notes.csv', csv);
    },
  });

  /**
   * A change to an open episode by the agency doing the work (a manager's
   * reassignment too): read, refuse with the page and its errors, else save
   * and audit in one transaction and return to the section. One that changes
   * what is there (not adds to it) claims the episode's version the page was
   * read at, and is refused beside that field if someone changed it since.
   */
  function change<T>(spec: { url: string; access: Permission; audit: string; anchor: string; edits?: { field: string }; read: (body: Body, errors: FormErrors, episode: EpisodeRow, actor: RequestActor) => Promise<T | null> | T | null; save: (trx: Transaction<DB>, episode: EpisodeRow, value: T, actor: RequestActor, itemId?: string) => Promise<boolean | void | Record<string, unknown>> }) {
    declareRoute(app, {
      method: 'POST',
      url: spec.url,
      access: spec.access,
      audit: spec.audit,
      handler: async (req, reply) => {
        const episode = await load(req);
        const itemId = (req.params as { itemId?: string }).itemId;
        const actor = req.actor!;
        if (!episode || episode.agency_id !== actor.agencyId || (itemId !== undefined && !isUuid(itemId))) return notFound(req, reply);
        const body = req.body as Body;
        const errors = new FormErrors();
        if (episode.closed_on) {
          errors.add('kind', 'This episode is closed: nothing more can be added');
          return page(req, reply, episode, { errors, values: body, status: 409 });
        }
        const value = await spec.read(body, errors, episode, actor);
        if (value === null || errors.any) return page(req, reply, episode, { errors, values: body });
        const saved = await orStale(
          transact(req, async (trx, audit) => {
            const saved = await spec.save(trx, episode, value, actor, itemId);
            // Claimed after the save, in the same transaction: a goal not on this episode answers as missing, not as changed.
            if (spec.edits && saved !== false) await claimVersion(trx, 'episode', episode.id, versionRead(body));
            if (saved !== false) await audit({ recordType: 'episode', recordId: episode.id, personId: episode.person_id, detail: typeof saved === 'object' ? saved : itemId ? { item: itemId } : undefined });
            return saved !== false;
          }),
        );
        if (saved === STALE) {
          const fresh = await load(req);
          if (!fresh) return notFound(req, reply);
          errors.add(spec.edits!.field, await staleError(app.db, { type: 'episode', id: episode.id, actions: EPISODE_CHANGES }, 'episode'));
          return page(req, reply, fresh, { errors, values: body, status: 409 });
        }
        if (!saved) return notFound(req, reply);
        return reply.redirect(`/episodes/${episode.id}#${spec.anchor}`, 303);
      },
    });
  }

  change({
    url: '/episodes/:id/notes',
    access: 'episode.work',
    audit: 'episode.note',
    anchor: 'timeline',
    read: (body, errors) => readNote(body, errors),
    save: async (trx, episode, n, actor) => {
      await trx.insertInto('episode_note').values({ episode_id: episode.id, kind: n.kind, method: n.method, happened_at: n.happenedAt, body: n.body, visibility: n.visibility, author_id: actor.userId! }).execute();
    },
  });

  change({
    url: '/episodes/:id/goals',
    access: 'episode.work',
    audit: 'episode.goal',
    anchor: 'goals',
    read: (body, errors) => readGoal(body, errors),
    save: async (trx, episode, description, actor) => {
      await trx.insertInto('episode_goal').values({ episode_id: episode.id, description, set_by: actor.userId }).execute();
    },
  });

  change({
    url: '/episodes/:id/goals/:itemId',
    access: 'episode.work',
    audit: 'episode.goal',
    anchor: 'goals',
    edits: { field: 'goalStatus' },
    read: (body, errors) => readGoalProgress(body, errors),
    save: async (trx, episode, p, _actor, goalId) => {
      const r = await trx.updateTable('episode_goal').set({ status: p.status, progress_note: p.note, updated_at: new Date() }).where('id', '=', goalId!).where('episode_id', '=', episode.id).executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
  });

  change({
    url: '/episodes/:id/outcomes',
    access: 'episode.work',
    audit: 'episode.outcomes',
    anchor: 'outcomes',
    read: async (body, errors, episode) => {
      const m = readMeasures(body, errors);
      if (m && m.measured_on < episode.started_on && m.stage === 'end') errors.add('measuredOn-day', 'End measures must be taken on or after the start date');
      if (m && (await app.db.selectFrom('outcome_measure').select('id').where('episode_id', '=', episode.id).where('stage', '=', m.stage).executeTakeFirst())) {
        errors.add('stage', `The measures ${STAGES[m.stage].toLowerCase()} are already recorded`);
      }
      return m;
    },
    save: async (trx, episode, m, actor) => {
      await trx.insertInto('outcome_measure').values({ ...m, episode_id: episode.id, recorded_by: actor.userId }).execute();
    },
  });

  change({
    url: '/episodes/:id/review',
    access: 'episode.work',
    audit: 'episode.review',
    anchor: 'summary',
    edits: { field: 'reviewOn-day' },
    read: (body, errors, episode) => {
      const reviewOn = dateInput(body, 'reviewOn', errors, { label: 'Next review', required: true, minYear: 2000 });
      if (reviewOn && reviewOn <= londonToday()) errors.add('reviewOn-day', 'Next review must be in the future');
      if (reviewOn && reviewOn < episode.started_on) errors.add('reviewOn-day', 'Next review must be after the start date');
      return reviewOn;
    },
    save: async (trx, episode, reviewOn) => {
      await trx.updateTable('episode').set({ review_on: reviewOn }).where('id', '=', episode.id).execute();
    },
  });

  change({
    url: '/episodes/:id/close',
    access: 'episode.work',
    audit: 'episode.close',
    anchor: 'summary',
    edits: { field: 'outcome' },
    read: (body, errors, episode) => readClosure(body, errors, episode.started_on),
    save: (trx, episode, c, actor) => closeEpisode(trx, episode.id, c, actor.userId),
  });

  change({
    url: '/episodes/:id/reassign',
    access: 'caseload.manage',
    audit: 'episode.reassign',
    anchor: 'summary',
    edits: { field: 'leadWorkerId' },
    read: async (body, errors, episode, actor) => {
      const workerId = str(body, 'leadWorkerId');
      if (!(await agencyWorkers(app.db, actor.agencyId)).some((w) => w.id === workerId)) errors.add('leadWorkerId', 'Select the new lead worker');
      else if (workerId === episode.lead_worker_id) errors.add('leadWorkerId', `${episode.worker_name} already leads this episode: select someone else`);
      return errors.any ? null : workerId;
    },
    save: async (trx, episode, workerId) => {
      await trx.updateTable('episode').set({ lead_worker_id: workerId }).where('id', '=', episode.id).execute();
      return { from: episode.lead_worker_id, to: workerId };
    },
  });
}
