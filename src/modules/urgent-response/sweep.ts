// The reminder sweep (issue 3): every minute, each open urgent response's
// clocks are checked and one notification is raised per clock event (due
// soon, breached) for its worker and its agency's coordinators. Safe to run
// twice and on several instances: one sweep at a time holds an advisory lock,
// and a unique key refuses a second notification for the same event.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { clocksOf, responseQuery } from './queries.ts';
import { CLOCK_LABELS, type ClockKind } from './clocks.ts';
import { sendEmail, type NotifyConfig } from '../../platform/notify.ts';
import { ORDER_KINDS } from '../orders/kinds.ts';
import { orderName } from '../orders/queries.ts';
import { interviewReminders } from '../exploitation/queries.ts';
import { INTERVIEW_LABEL } from '../exploitation/rules.ts';
import { schedulePacks } from '../products/operations.ts';
import { agreementsDue } from '../governance/agreements.ts';
import { checkRetention, removeApproved } from '../governance/retention.ts';
import { formatDate, londonToday } from '../../platform/time.ts';

const SWEEP_LOCK = 727_002;

export async function runSweep(db: Kysely<DB>, now = new Date(), sentVia: 'outbox' | 'notify' = 'outbox'): Promise<{ ran: boolean; raised: number }> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}) AS ok`.execute(trx);
    if (!rows[0].ok) return { ran: false, raised: 0 };
    const responses = await responseQuery(trx).where('urgent_response.status', '=', 'open').execute();
    const coordinators = await trx
      .selectFrom('app_user')
      .select(['id', 'agency_id'])
      .where('disabled_at', 'is', null)
      .where(sql<boolean>`'coordinator' = ANY(roles)`)
      .execute();
    const notifications = responses.flatMap((response) => {
      const recipients = new Set([...(response.owner_id ? [response.owner_id] : []), ...coordinators.filter((c) => c.agency_id === response.agency_id).map((c) => c.id)]);
      return clocksOf(response, now)
        .filter((clock) => clock.state === 'due_soon' || clock.state === 'breached')
        .flatMap((clock) => [...recipients].map((recipient_id) => ({ urgent_response_id: response.id, clock: clock.kind, event: clock.state, recipient_id, sent_via: sentVia })));
    });
    let raised = 0;
    for (let i = 0; i < notifications.length; i += 1000) {
      const inserted = await trx
        .insertInto('notification')
        .values(notifications.slice(i, i + 1000))
        .onConflict((oc) => oc.columns(['urgent_response_id', 'clock', 'event', 'recipient_id']).doNothing())
        .returning('id')
        .execute();
      raised += inserted.length;
    }
    // The return home interview's clock reminds in the same way: its holding agency's coordinators and whoever recorded it.
    const interviews = (await interviewReminders(trx, now)).flatMap((e) => {
      const recipients = new Set([...(e.recorded_by ? [e.recorded_by] : []), ...coordinators.filter((c) => c.agency_id === e.agency_id).map((c) => c.id)]);
      return [...recipients].map((recipient_id) => ({ missing_episode_id: e.id, clock: 'return_home_interview', event: e.state, recipient_id, sent_via: sentVia }));
    });
    for (let i = 0; i < interviews.length; i += 1000) {
      const inserted = await trx
        .insertInto('notification')
        .values(interviews.slice(i, i + 1000))
        .onConflict((oc) => oc.columns(['missing_episode_id', 'event', 'recipient_id']).where('missing_episode_id', 'is not', null).doNothing())
        .returning('id')
        .execute();
      raised += inserted.length;
    }
    // Data sharing agreements due for review remind every information governance officer, once per review date (issue 21).
    const officers = await trx.selectFrom('app_user').select('id').where('disabled_at', 'is', null).where(sql<boolean>`'ig_officer' = ANY(roles)`).execute();
    const reviews = (await agreementsDue(trx, londonToday(now))).flatMap((a) => officers.map((o) => ({ sharing_agreement_id: a.id, clock: a.review_on, event: 'review_due', recipient_id: o.id, sent_via: sentVia })));
    if (reviews.length) {
      const inserted = await trx
        .insertInto('notification')
        .values(reviews)
        .onConflict((oc) => oc.columns(['sharing_agreement_id', 'clock', 'recipient_id']).where('sharing_agreement_id', 'is not', null).doNothing())
        .returning('id')
        .execute();
      raised += inserted.length;
    }
    return { ran: true, raised };
  });
}

const MAX_DELIVERY_ATTEMPTS = 5;
const EVENT_WORDS = { due_soon: 'is due soon', breached: 'has been breached' } as const;

/**
 * Hands raised reminders to GOV.UK Notify. Rows are locked while sent (SKIP
 * LOCKED), so two instances never send the same one; a failure is kept and
 * tried again, up to five times. The email names the clock and the urgent
 * response's reference and links to it: never the young person.
 */
export async function deliverNotifications(db: Kysely<DB>, notify: NotifyConfig, publicUrl: string): Promise<{ sent: number; failed: number }> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('notification')
      .innerJoin('app_user', 'app_user.id', 'notification.recipient_id')
      .leftJoin('urgent_response', 'urgent_response.id', 'notification.urgent_response_id')
      .leftJoin('possible_breach', 'possible_breach.id', 'notification.possible_breach_id')
      .leftJoin('court_order', 'court_order.id', 'possible_breach.order_id')
      .leftJoin('critical_incident', 'critical_incident.id', 'notification.critical_incident_id')
      .leftJoin('missing_episode', 'missing_episode.id', 'notification.missing_episode_id')
      .leftJoin('sharing_agreement', 'sharing_agreement.id', 'notification.sharing_agreement_id')
      .leftJoin('break_glass', 'break_glass.id', 'notification.break_glass_id')
      .select(['break_glass.id as glass_id', 'break_glass.reference as glass_reference', 'sharing_agreement.id as agreement_id', 'sharing_agreement.review_on as agreement_review_on', 'notification.id', 'notification.clock', 'notification.event', 'notification.delivery_attempts', 'app_user.email', 'urgent_response.id as response_id', 'urgent_response.reference', 'possible_breach.id as breach_id', 'court_order.kind_code', 'court_order.interim', 'critical_incident.id as critical_id', 'critical_incident.reference as critical_reference', 'missing_episode.id as missing_id', 'missing_episode.reference as missing_reference'])
      // A possible breach or a critical incident is raised in the transaction that found it, without knowing whether Notify is configured: it is sent whenever it is.
      .where((eb) => eb.or([eb('notification.sent_via', '=', 'notify'), eb('notification.possible_breach_id', 'is not', null), eb('notification.critical_incident_id', 'is not', null), eb('notification.break_glass_id', 'is not', null)]))
      .where('notification.delivered_at', 'is', null)
      .where('notification.delivery_attempts', '<', MAX_DELIVERY_ATTEMPTS)
      .orderBy('notification.created_at')
      .limit(50)
      .forUpdate('notification')
      .skipLocked()
      .execute();
    let sent = 0;
    for (const n of due) {
      try {
        const personalisation = n.glass_id
          ? { clock: 'Emergency access', event: 'was used and is waiting for your review', reference: n.glass_reference!, link: `${publicUrl}/emergency-access/${n.glass_id}` }
          : n.agreement_id
          ? { clock: 'A data sharing agreement', event: `is due for review by ${formatDate(n.agreement_review_on)}`, reference: n.agreement_id.slice(0, 8), link: `${publicUrl}/sharing-agreements/${n.agreement_id}` }
          : n.missing_id
          ? { clock: INTERVIEW_LABEL, event: EVENT_WORDS[n.event as keyof typeof EVENT_WORDS] ?? n.event, reference: n.missing_reference!, link: `${publicUrl}/missing-episodes/${n.missing_id}` }
          : n.critical_id
          ? { clock: 'A critical incident', event: 'has been declared', reference: n.critical_reference!, link: `${publicUrl}/critical-incidents/${n.critical_id}` }
          : n.breach_id
          ? { clock: orderName(ORDER_KINDS, n), event: 'has a possible breach to decide', reference: n.breach_id.slice(0, 8), link: `${publicUrl}/orders/breaches/${n.breach_id}` }
          : { clock: CLOCK_LABELS[n.clock as ClockKind] ?? n.clock, event: EVENT_WORDS[n.event as keyof typeof EVENT_WORDS] ?? n.event, reference: n.reference!, link: `${publicUrl}/urgent-responses/${n.response_id}` };
        const id = await sendEmail(notify, { to: n.email, reference: n.id, personalisation });
        await trx.updateTable('notification').set({ delivered_at: new Date(), delivery_reference: id, delivery_error: null, delivery_attempts: n.delivery_attempts + 1 }).where('id', '=', n.id).execute();
        sent += 1;
      } catch (error) {
        await trx.updateTable('notification').set({ delivery_error: String((error as Error).message).slice(0, 500), delivery_attempts: n.delivery_attempts + 1 }).where('id', '=', n.id).execute();
      }
    }
    return { sent, failed: due.length - sent };
  });
}

/** Runs the sweep on an interval until stopped; a failed sweep is logged and tried again next time. */
export function startSweeps(db: Kysely<DB>, intervalMs: number, log: { error(obj: unknown, msg: string): void }, notify?: { config: NotifyConfig; publicUrl: string }): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runSweep(db, new Date(), notify ? 'notify' : 'outbox');
      // The intelligence meeting's pack, the working day before (issue 25).
      await schedulePacks(db);
      // Retention (issue 21): what is due, once a day; then anything the information governance officer approved.
      await checkRetention(db);
      await removeApproved(db);
      if (notify) await deliverNotifications(db, notify.config, notify.publicUrl);
    } catch (error) {
      log.error({ err: error }, 'urgent response sweep failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
