// Reminders by GOV.UK Notify, against a stand-in Notify the test runs: each
// request carries a JWT the way Notify checks it (verified here with jose),
// each clock event is sent once, and no email names the young person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { jwtVerify } from 'jose';
import { deliverNotifications, runSweep } from '../../src/modules/urgent-response/sweep.ts';
import { declareCritical } from '../../src/modules/critical-incidents/queries.ts';
import { notifyToken, parseNotifyKey } from '../../src/platform/notify.ts';
import { loadConfig } from '../../src/config.ts';
import { formatDate, londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { makeAgency, makeUser, newResponse, testApp, type TestApp } from '../support/app.ts';

const SERVICE = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const API_KEY = `reachable_test-${SERVICE}-${SECRET}`;
const TEMPLATE = 'f33517ff-2a88-4f6e-b855-c550268ce08a';

let t: TestApp;
let server: http.Server;
let baseUrl: string;
let failing = false;
const received: { auth: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  t = await testApp();
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      if (failing) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ error: 'Exception', message: 'Internal server error' }] }));
        return;
      }
      received.push({ auth: String(req.headers.authorization), body: JSON.parse(data) });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: crypto.randomUUID(), reference: JSON.parse(data).reference }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.close();
  await t.close();
});

describe('GOV.UK Notify', () => {
  it('reads the service id and secret from the API key, and signs a token Notify would accept', async () => {
    expect(parseNotifyKey(API_KEY)).toEqual({ serviceId: SERVICE, secret: SECRET });
    expect(() => parseNotifyKey('not-a-key')).toThrow(/GOV.UK Notify API key/);
    const now = Date.now();
    const { payload, protectedHeader } = await jwtVerify(notifyToken(API_KEY, now), new TextEncoder().encode(SECRET), { algorithms: ['HS256'] });
    expect(protectedHeader).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(payload).toEqual({ iss: SERVICE, iat: Math.floor(now / 1000) });
  });

  it('is configured by NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID together', () => {
    expect(loadConfig({ NOTIFY_API_KEY: API_KEY, NOTIFY_TEMPLATE_ID: TEMPLATE }).notify).toEqual({ apiKey: API_KEY, templateId: TEMPLATE, baseUrl: 'https://api.notifications.service.gov.uk' });
    expect(() => loadConfig({ NOTIFY_API_KEY: API_KEY })).toThrow(/NOTIFY_TEMPLATE_ID is required/);
    expect(loadConfig({}).notify).toBeUndefined();
  });

  it('emails each reminder once, with a valid token and nothing about the young person', async () => {
    const council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
    const coordinator = await makeUser(t.db, council.id, ['coordinator'], { email: 'duty.coordinator@example.gov.uk' });
    const { id } = await newResponse(t, council.id, 'Zara', { family: 'Notifytest' });
    const config = { apiKey: API_KEY, templateId: TEMPLATE, baseUrl };

    // The incident was learned of 25 hours ago: the first-attempt clock is breached.
    expect((await runSweep(t.db, new Date(), 'notify')).raised).toBe(1);
    failing = true;
    expect(await deliverNotifications(t.db, config, 'https://reachable.example.gov.uk')).toEqual({ sent: 0, failed: 1 });
    const kept = await t.db.selectFrom('notification').select(['delivery_error', 'delivery_attempts', 'delivered_at']).executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ delivery_attempts: 1, delivered_at: null });
    expect(kept.delivery_error).toContain('500');

    failing = false;
    const [a, b] = await Promise.all([deliverNotifications(t.db, config, 'https://reachable.example.gov.uk'), deliverNotifications(t.db, config, 'https://reachable.example.gov.uk')]);
    expect(a.sent + b.sent).toBe(1);
    expect(await deliverNotifications(t.db, config, 'https://reachable.example.gov.uk')).toEqual({ sent: 0, failed: 0 });
    expect(received).toHaveLength(1);
    const [email] = received;
    const { payload } = await jwtVerify(email.auth.replace('Bearer ', ''), new TextEncoder().encode(SECRET));
    expect(payload.iss).toBe(SERVICE);
    expect(email.body).toMatchObject({ email_address: coordinator.email, template_id: TEMPLATE });
    expect(email.body.personalisation).toEqual({ clock: 'First contact attempt', event: 'has been breached', reference: expect.stringMatching(/^UR-\d{6}$/), link: `https://reachable.example.gov.uk/urgent-responses/${id}` });
    expect(JSON.stringify(email.body)).not.toMatch(/Zara|Notifytest/);
  });

  it('emails each critical incident contact once when one is declared, naming its reference and never the young person', async () => {
    const police = await makeAgency(t.db, { kind: 'police', receivesIncidents: true });
    const officer = await makeUser(t.db, police.id, ['police'], { email: 'duty.inspector@example.gov.uk' });
    await t.db.insertInto('critical_incident_contact').values({ user_id: officer.id }).execute();
    const { incidentId } = await newResponse(t, police.id, 'Kofi', { family: 'Criticaltest' });
    const declared = await t.db.transaction().execute((trx) => declareCritical(trx, { userId: officer.id, agencyId: police.id }, incidentId, { reason: 'death', reasonDetail: null }));
    expect('reference' in declared).toBe(true);
    received.length = 0;
    const config = { apiKey: API_KEY, templateId: TEMPLATE, baseUrl };
    // Raised in the declaring transaction, not by the sweep: sent whenever Notify is configured, once.
    await deliverNotifications(t.db, config, 'https://reachable.example.gov.uk');
    await deliverNotifications(t.db, config, 'https://reachable.example.gov.uk');
    const toOfficer = received.filter((r) => r.body.email_address === officer.email);
    expect(toOfficer).toHaveLength(1);
    expect(toOfficer[0].body.personalisation).toEqual({ clock: 'A critical incident', event: 'has been declared', reference: expect.stringMatching(/^CI-\d{4}-\d{4}$/), link: expect.stringMatching(/^https:\/\/reachable\.example\.gov\.uk\/critical-incidents\/[0-9a-f-]{36}$/) });
    expect(JSON.stringify(received)).not.toMatch(/Kofi|Criticaltest/);
  });

  it('emails each information governance officer once when a data sharing agreement falls due for review, naming no one', async () => {
    const council = await makeAgency(t.db, { kind: 'council' });
    const officer = await makeUser(t.db, council.id, ['ig_officer'], { email: 'ig.officer@example.gov.uk' });
    const other = await makeAgency(t.db, { kind: 'voluntary' });
    const review = addDays(londonToday(), 10);
    const { id } = await t.db.insertInto('sharing_agreement').values({ title: 'Mentoring agreement', party_agency_ids: [council.id, other.id], purposes: ['referral'], data_categories: ['personal'], article6: 'e', starts_on: '2026-01-01', review_on: review, signatories: 'Both directors', document: 'With information governance' }).returning('id').executeTakeFirstOrThrow();
    received.length = 0;
    const config = { apiKey: API_KEY, templateId: TEMPLATE, baseUrl };
    await runSweep(t.db, new Date(), 'notify');
    await runSweep(t.db, new Date(), 'notify');
    await deliverNotifications(t.db, config, 'https://reachable.example.gov.uk');
    await deliverNotifications(t.db, config, 'https://reachable.example.gov.uk');
    const toOfficer = received.filter((r) => r.body.email_address === officer.email);
    expect(toOfficer).toHaveLength(1);
    expect(toOfficer[0].body.personalisation).toEqual({ clock: 'A data sharing agreement', event: `is due for review by ${formatDate(review)}`, reference: id.slice(0, 8), link: `https://reachable.example.gov.uk/sharing-agreements/${id}` });
  });
});
