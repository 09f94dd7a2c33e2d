// The decisions people make about orders: a possible breach confirmed (with
// the action taken) or set aside (with why), an order ended early, a review
// held. The machine never decides; each of these is a person's, audited.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../platform/audit.ts';
import { FormErrors, choice, text, type Body } from '../../platform/forms.ts';
import { claimVersion } from '../../platform/versions.ts';
import { londonToday } from '../../platform/time.ts';
import { BREACH_ACTIONS, type BreachAction } from './rules.ts';
import { breachQuery, decidesFor } from './queries.ts';

export type Decision = { decision: 'confirmed'; action: BreachAction; reason: string | null } | { decision: 'not_a_breach'; action: null; reason: string };

/**
 * Confirmed needs the action taken; not a breach needs the reason, and a
 * victim's or witness's presence is a reason the form offers in words.
 */
export function readDecision(body: Body, errors: FormErrors): Decision | null {
  const decision = choice(body, 'decision', errors, ['confirmed', 'not_a_breach'] as const, 'Select whether it was a breach');
  if (decision === 'confirmed') {
    const action = choice(body, 'action', errors, Object.keys(BREACH_ACTIONS) as BreachAction[], 'Select the action taken');
    const reason = text(body, 'confirmedNotes', errors, { label: 'Notes', max: 2000 });
    return action && !errors.any ? { decision, action, reason } : null;
  }
  if (decision === 'not_a_breach') {
    const reason = text(body, 'reason', errors, { label: 'The reason', required: true, max: 2000, missing: 'Enter why it was not a breach, like “he was the victim” or “the order allows him to pass through to school”' });
    return reason && !errors.any ? { decision, action: null, reason } : null;
  }
  return null;
}

/**
 * Records the decision over the version the decider read (a breach already
 * decided has moved its version on, so a second decision is stale). Only the
 * agency that applied for the order, or recorded it, decides: for any other
 * it answers false and changes nothing.
 */
export async function decideBreach(trx: Transaction<DB>, by: Actor & { agencyId: string }, breachId: string, versionRead: number | null, d: Decision): Promise<boolean> {
  const breach = await breachQuery(trx).where('possible_breach.id', '=', breachId).executeTakeFirst();
  if (!breach || !decidesFor(by, breach)) return false;
  await claimVersion(trx, 'possible_breach', breachId, versionRead);
  await trx.updateTable('possible_breach').set({ decision: d.decision, action: d.action, reason: d.reason, decided_by: by.userId ?? null, decided_at: new Date() }).where('id', '=', breachId).execute();
  return true;
}

/** Ends an order early from today: it leaves every list and raises nothing more. */
export async function endOrder(trx: Transaction<DB>, orderId: string, reason: string, today = londonToday()): Promise<void> {
  await trx.updateTable('court_order').set({ ended_on: today, end_reason: reason }).where('id', '=', orderId).where('ended_on', 'is', null).execute();
}

export async function holdReview(trx: Transaction<DB>, reviewId: string, heldOn: string, outcome: string): Promise<void> {
  await trx.updateTable('order_review').set({ held_on: heldOn, outcome }).where('id', '=', reviewId).execute();
}
