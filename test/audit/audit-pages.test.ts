import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentForm, makeAgency, makeUser, signedIn, testApp, auditCount, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('the audit pages', () => {
  it('let an information governance officer find who looked at a record, and export it as CSV, itself audited', async () => {
    const police = await makeAgency(t.db, { kind: 'police' });
    const officerUser = await makeUser(t.db, police.id, ['police']);
    const officer = await signedIn(t, officerUser);
    const created = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id }));
    const id = (created.headers.location as string).split('/').pop()!;
    await officer.get(`/incidents/${id}`);

    const ig = await signedIn(t, await makeUser(t.db, police.id, ['ig_officer']));
    const page = await ig.get(`/audit?recordType=incident&recordId=${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('incident.record');
    expect(page.body).toContain('incident.view');
    expect(page.body).toContain('Test police');
    const byUser = await ig.get(`/audit?userId=${officerUser.id}`);
    expect(byUser.body).toContain('Showing 1 to 2 of 2 events');

    const before = await auditCount(t.db, { action: 'audit.export' });
    const csv = await ig.get(`/audit/export.csv?recordId=${id}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['cache-control']).toBe('no-store');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('seq,at,user,user_email,api_client,agency,action,record_type,record_id,person_id,purpose,outcome,correlation_id');
    expect(lines).toHaveLength(3);
    expect(await auditCount(t.db, { action: 'audit.export' })).toBe(before + 1);
  });

  it('shows bad filters next to their fields', async () => {
    const agency = await makeAgency(t.db);
    const ig = await signedIn(t, await makeUser(t.db, agency.id, ['ig_officer']));
    const res = await ig.get('/audit?personId=not-an-id&from-day=32&from-month=1&from-year=2026');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#personId"');
    expect(res.body).toContain('href="#from-day"');
  });
});

describe('the page frame', () => {
  it('answers /health with the database in use, and says plainly that the embedded one does not flush saves to disk', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    if (t.database.kind === 'pglite') expect(res.json()).toEqual({ status: 'ok', database: 'pglite', durability: expect.stringMatching(/^The embedded database is for trials and single-user work: it does not flush saves to disk.*Production uses PostgreSQL/) });
    else expect(res.json()).toEqual({ status: 'ok', database: 'postgresql' });
  });

  it('shows a 500 page with a reference and nothing else when something breaks', async () => {
    const broken = await testApp();
    const user = await makeUser(broken.db, (await makeAgency(broken.db, { kind: 'police' })).id, ['police']);
    const client = await signedIn(broken, user);
    await broken.db.schema.dropTable('incident_share').cascade().execute();
    const res = await client.get('/incidents');
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('Sorry, there is a problem with the service');
    expect(res.body).toContain(res.headers['x-correlation-id'] as string);
    expect(res.body).not.toMatch(/incident_share|relation|stack|at \//);
    await broken.close();
  });
});
