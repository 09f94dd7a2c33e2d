import { describe, expect, it } from 'vitest';
import { computeClocks, mostUrgent, CONTACT_MADE_HOURS, CUSTODY_NOTIFICATION_HOURS, FIRST_ATTEMPT_HOURS, DEFAULT_DUE_SOON_HOURS } from '../../src/modules/urgent-response/clocks.ts';
import { formatDateTime, londonToUtc } from '../../src/platform/time.ts';

const london = (y: number, m: number, d: number, h: number, min = 0) => londonToUtc({ year: y, month: m, day: d, hour: h, minute: min })!;
const byKind = (clocks: ReturnType<typeof computeClocks>) => Object.fromEntries(clocks.map((c) => [c.kind, c]));

describe('urgent response clocks', () => {
  it('gives MASH until 00:30 for a custody booking at 23:30 on a Friday', () => {
    const booked = london(2026, 11, 20, 23, 30); // Friday
    const clocks = byKind(computeClocks({ notifiedAt: booked, custodyBookedAt: booked }, booked));
    expect(formatDateTime(clocks.custody_notification.dueAt)).toBe('21 November 2026 at 00:30');
    expect(clocks.custody_notification.state).toBe('due_soon');
  });

  it('runs a 48-hour clock 48 real hours across the last Sunday of October', () => {
    const notified = london(2026, 10, 24, 12, 0); // Saturday noon, BST
    const clocks = byKind(computeClocks({ notifiedAt: notified }, notified));
    expect(clocks.contact_made.dueAt.getTime() - notified.getTime()).toBe(48 * 3_600_000);
    // The clocks went back an hour on Sunday 25 October: 48 hours later is 11:00 on the Monday, GMT.
    expect(formatDateTime(clocks.contact_made.dueAt)).toBe('26 October 2026 at 11:00');
    expect(formatDateTime(clocks.first_attempt.dueAt)).toBe('25 October 2026 at 11:00');
  });

  it('runs 48 real hours across the last Sunday of March too', () => {
    const notified = london(2026, 3, 28, 12, 0); // Saturday noon, GMT
    expect(formatDateTime(byKind(computeClocks({ notifiedAt: notified }, notified)).contact_made.dueAt)).toBe('30 March 2026 at 13:00');
  });

  it('moves from due to due soon to breached, and a met clock stays met', () => {
    const notified = new Date('2026-11-01T10:00:00Z');
    const at = (hours: number) => new Date(notified.getTime() + hours * 3_600_000);
    expect(byKind(computeClocks({ notifiedAt: notified }, at(19.9))).first_attempt.state).toBe('due');
    expect(byKind(computeClocks({ notifiedAt: notified }, at(20.1))).first_attempt.state).toBe('due_soon');
    expect(byKind(computeClocks({ notifiedAt: notified }, at(24.01))).first_attempt.state).toBe('breached');
    expect(byKind(computeClocks({ notifiedAt: notified, firstAttemptAt: at(3) }, at(30))).first_attempt).toMatchObject({ state: 'met', remainingMs: null });
    expect(byKind(computeClocks({ notifiedAt: notified, firstAttemptAt: at(25) }, at(30))).first_attempt.state).toBe('met_late');
    expect(byKind(computeClocks({ notifiedAt: notified }, at(20), 6)).first_attempt.state).toBe('due_soon');
  });

  it('has no custody clock unless there was a custody booking', () => {
    expect(computeClocks({ notifiedAt: new Date() }, new Date()).map((c) => c.kind)).toEqual(['first_attempt', 'contact_made', 'professional_contact']);
  });

  it('puts breached clocks first, then the soonest due', () => {
    const notified = new Date('2026-11-01T10:00:00Z');
    const clocks = computeClocks({ notifiedAt: notified, custodyBookedAt: notified, firstAttemptAt: new Date('2026-11-01T11:00:00Z') }, new Date('2026-11-02T09:00:00Z'));
    expect(mostUrgent(clocks).kind).toBe('custody_notification');
  });

  it.each([
    ['custody_notification', CUSTODY_NOTIFICATION_HOURS],
    ['first_attempt', FIRST_ATTEMPT_HOURS],
    ['contact_made', CONTACT_MADE_HOURS],
  ] as const)('%s: one minute before due is not breached, one minute after is; met a minute before is met, a minute after is met late', (kind, hours) => {
    const notified = new Date('2026-11-01T10:00:00Z');
    const due = notified.getTime() + hours * 3_600_000;
    const facts = { notifiedAt: notified, custodyBookedAt: notified };
    const at = (ms: number) => new Date(ms);
    expect(byKind(computeClocks(facts, at(due - 60_000)))[kind].state).toBe('due_soon');
    expect(byKind(computeClocks(facts, at(due + 60_000)))[kind].state).toBe('breached');
    const metKey = { custody_notification: 'custodyNotifiedAt', first_attempt: 'firstAttemptAt', contact_made: 'contactMadeAt' }[kind];
    expect(byKind(computeClocks({ ...facts, [metKey]: at(due - 60_000) }, at(due + 3_600_000)))[kind].state).toBe('met');
    expect(byKind(computeClocks({ ...facts, [metKey]: at(due + 60_000) }, at(due + 3_600_000)))[kind].state).toBe('met_late');
    // Due soon starts DEFAULT_DUE_SOON_HOURS before, to the minute.
    const soon = due - DEFAULT_DUE_SOON_HOURS * 3_600_000;
    if (soon > notified.getTime()) {
      expect(byKind(computeClocks(facts, at(soon - 60_000)))[kind].state).toBe('due');
      expect(byKind(computeClocks(facts, at(soon + 60_000)))[kind].state).toBe('due_soon');
    }
  });

  it('stops the unmet clocks of a closed response: they say so, and are never breached', () => {
    const notified = new Date('2026-11-01T10:00:00Z');
    const clocks = byKind(computeClocks({ notifiedAt: notified, firstAttemptAt: new Date('2026-11-01T12:00:00Z'), closedAt: new Date('2026-11-01T13:00:00Z') }, new Date('2026-11-10T00:00:00Z')));
    expect(clocks.first_attempt.state).toBe('met');
    expect(clocks.contact_made).toMatchObject({ state: 'stopped', remainingMs: null });
  });
});
