// Work that finds you (issue 22): every role's home page lists what waits
// for it, most urgent first, each line a link to the work; with nothing
// waiting it says so. The menu has at most seven entries for any role, each
// opening a page the role may use, and a coordinator sees the breached count
// on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/platform/permissions.ts';
import { lastWholeMonth } from '../../src/modules/strategy/indicatorRoutes.ts';
import { makeAgency, makeUser, newResponse, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let councilId: string;
const as: Partial<Record<Role, Client>> = {};
const ids: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  t = await testApp();
  councilId = (await makeAgency(t.db, { kind: 'council', receivesIncidents: true })).id;
  for (const role of ROLES) {
    const user = await makeUser(t.db, councilId, [role]);
    ids[role] = user.id;
    as[role] = await signedIn(t, user);
  }
});
afterAll(() => t.close());

const links = (html: string) => [...html.matchAll(/<a class="govuk-link govuk-link--no-visited-state" href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({ href: m[1].replace(/&amp;/g, '&'), text: m[2] }));
const menu = (html: string) => [...html.matchAll(/<a class="govuk-service-navigation__link" href="([^"]+)"/g)].map((m) => m[1]);

describe('with nothing waiting', () => {
  it.each([...ROLES])('the %s home says so, and every menu entry (seven at most) opens', async (role) => {
    const home = await as[role]!.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Nothing is waiting for you');
    expect(links(home.body)).toEqual([]);
    expect(home.body).not.toContain('nothing in Reachable for your role');
    const entries = menu(home.body);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.length).toBeLessThanOrEqual(7);
    for (const href of entries) expect((await as[role]!.get(href)).statusCode, href).toBe(200);
  });
});

describe('with work waiting', () => {
  it('a coordinator sees breached clocks first, then responses with nobody assigned, and the breached count on every page', async () => {
    const { id } = await newResponse(t, councilId, 'Breach');
    // Told 30 hours ago and no attempt yet: the 24-hour clock is breached.
    await t.db.updateTable('urgent_response').set({ notified_at: new Date(Date.now() - 30 * 3_600_000) }).where('id', '=', id).execute();
    const found = links((await as.coordinator!.get('/')).body);
    expect(found[0]).toEqual({ href: '/urgent-responses?state=breached', text: '1 urgent response with a clock breached' });
    expect(found).toContainEqual({ href: '/urgent-responses?owner=none', text: '1 urgent response with nobody assigned' });
    for (const f of found) expect((await as.coordinator!.get(f.href)).statusCode).toBe(200);
    const breachedList = await as.coordinator!.get('/urgent-responses?state=breached');
    expect(breachedList.body).toContain('Breach');
    // The badge on the menu, on a page that is not about urgent responses.
    const elsewhere = await as.coordinator!.get('/incidents');
    expect(elsewhere.body).toMatch(/Responses <span class="moj-notification-badge">1<span class="govuk-visually-hidden"> urgent response with a clock breached<\/span><\/span>/);
    // Assigned to the caseworker: it leaves the coordinator's "nobody assigned" and joins the caseworker's home.
    await t.db.updateTable('urgent_response').set({ owner_id: ids.caseworker! }).where('id', '=', id).execute();
    expect(links((await as.coordinator!.get('/')).body).map((l) => l.href)).not.toContain('/urgent-responses?owner=none');
    expect(links((await as.caseworker!.get('/')).body)[0]).toEqual({ href: '/urgent-responses?state=breached', text: '1 urgent response with a clock breached' });
  });

  it('a panel chair sees the next meeting and its agenda, and overdue actions by agency', async () => {
    const meeting = await t.db.insertInto('meeting').values({ type_code: 'drm', agency_id: councilId, starts_at: new Date(Date.now() + 86_400_000) }).returning('id').executeTakeFirstOrThrow();
    const item = await t.db.insertInto('meeting_item').values({ meeting_id: meeting.id, position: 1, rule: 'chair', title: 'Tension after Saturday', why: 'Added by the chair' }).returning('id').executeTakeFirstOrThrow();
    await t.db
      .insertInto('action')
      .values({ reference: 'ACT-TODAY-1', description: 'Visit the school', owner_agency_id: councilId, owner_name: 'Jo', due_on: '2026-01-05', agency_id: councilId, meeting_item_id: item.id })
      .execute();
    const found = links((await as.panel_chair!.get('/')).body);
    expect(found.find((l) => l.href === `/meetings/${meeting.id}`)?.text).toMatch(/^Next Daily Risk Management meeting: .*, 1 item on the agenda$/);
    expect(found.find((l) => l.href === '/actions?overdue=yes')?.text).toMatch(/^1 action overdue \(Agency .+ 1\)$/);
  });

  it('a board member and an analyst see indicators off target', async () => {
    const indicator = await t.db.insertInto('indicator').values({ name: 'Knife injuries, under 25 (test)', unit: 'count', better: 'lower', target: '5', source: 'Police', description: 'x' }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('indicator_value').values({ indicator_id: indicator.id, month: lastWholeMonth(), value: '12', source: 'Police' }).execute();
    for (const role of ['board_member', 'analyst'] as const) {
      expect(links((await as[role]!.get('/')).body)).toContainEqual({ href: '/indicators', text: `1 indicator off target (red) in ${lastWholeMonth()}` });
    }
  });

  it('an IG officer sees refused attempts, and the audit log lists only those', async () => {
    expect((await as.caseworker!.get('/admin/users')).statusCode).toBe(403);
    const found = links((await as.ig_officer!.get('/')).body);
    const refused = found.find((l) => l.href === '/audit?outcome=denied');
    expect(refused?.text).toMatch(/^\d+ refused attempts? to reach a page or record in the last 7 days$/);
    const log = await as.ig_officer!.get('/audit?outcome=denied');
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain('denied');
    expect(log.body).not.toContain('>allowed<');
  });

  it('police see their custody booking-ins with MASH not yet told, and the list those lead to; once told, the line goes', async () => {
    const { id, incidentId, officer } = await newResponse(t, councilId, 'Custody');
    const before = links((await officer.get('/')).body);
    expect(before.map((l) => l.href)).not.toContain('/incidents?custody=awaiting-mash');
    await t.db.updateTable('urgent_response').set({ custody_booked_at: new Date(Date.now() - 90 * 60_000) }).where('id', '=', id).execute();
    const found = links((await officer.get('/')).body);
    expect(found[0]).toEqual({ href: '/incidents?custody=awaiting-mash', text: '1 custody booking-in your agency reported with MASH not yet told' });
    const list = await officer.get('/incidents?custody=awaiting-mash');
    expect(list.body).toContain(`/incidents/${incidentId}`);
    // Another police force's officer does not count it.
    expect(links((await as.police!.get('/')).body).map((l) => l.href)).not.toContain('/incidents?custody=awaiting-mash');
    await t.db.updateTable('urgent_response').set({ custody_notified_at: new Date() }).where('id', '=', id).execute();
    expect(links((await officer.get('/')).body).map((l) => l.href)).not.toContain('/incidents?custody=awaiting-mash');
    expect((await officer.get('/incidents?custody=awaiting-mash')).body).not.toContain(`/incidents/${incidentId}`);
  });

  it('an administrator sees locked accounts', async () => {
    await t.db.updateTable('app_user').set({ locked_until: new Date(Date.now() + 3_600_000) }).where('id', '=', ids.police!).execute();
    expect(links((await as.administrator!.get('/')).body)[0]).toEqual({ href: '/admin/users', text: '1 account locked after too many wrong codes' });
  });
});
