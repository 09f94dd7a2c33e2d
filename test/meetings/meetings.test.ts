// The Daily Risk Management meeting and panels: the agenda builds itself from
// the records, the chair shapes it, the meeting minutes items and actions,
// and actions not done carry forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { auditCount, formTime, incidentForm, makeAgency, makeUser, newResponse, signedIn, testApp, type Client, type TestApp, submit } from '../support/app.ts';

let t: TestApp;
let chair: Client;
let council: { id: string };

const meetingAt = (at: Date, type = 'drm') => {
  const f = formTime(at, 'date');
  return { type, 'date-day': f['date-day'], 'date-month': f['date-month'], 'date-year': f['date-year'], time: f['date-time'] };
};
async function plan(at: Date, type = 'drm') {
  const res = await chair.post('/meetings', meetingAt(at, type));
  expect(res.statusCode, res.body).toBe(303);
  return (res.headers.location as string).split('/').pop()!;
}
const items = (meetingId: string) => t.db.selectFrom('meeting_item').selectAll().where('meeting_id', '=', meetingId).orderBy('position').execute();
const hours = (h: number) => new Date(Math.floor((Date.now() + h * 3_600_000) / 60_000) * 60_000);

beforeAll(async () => {
  t = await testApp();
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  chair = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
});
afterAll(() => t.close());

describe('the Daily Risk Management meeting', () => {
  let ava: Awaited<ReturnType<typeof newResponse>>;
  let ben: Awaited<ReturnType<typeof newResponse>>;
  let meetingId: string;

  beforeAll(async () => {
    // A meeting two days ago: the next one looks at everything since.
    await plan(hours(-48));
    ava = await newResponse(t, council.id, 'Ava', { family: 'Agenda' });
    ben = await newResponse(t, council.id, 'Ben', { family: 'Agenda' });
    // Ben comes to notice again: a second incident, shared with the council.
    const second = await ben.officer.post('/incidents', incidentForm({ sourceAgencyId: ben.police.id, shareWith: [council.id], type: 'weapon_robbery' }));
    await t.db.insertInto('involvement').values({ incident_id: (second.headers.location as string).split('/').pop()!, person_id: ben.personId, role: 'suspect' }).execute();
    await chair.post(`/urgent-responses/${ben.id}/meeting-referral`, { meetingType: 'drm', referralReason: 'Threats on social media after the stabbing' });
    await t.db
      .insertInto('action')
      .values({ reference: 'A-900001', urgent_response_id: ava.id, agency_id: council.id, description: 'Speak to the school about a safe route', owner_agency_id: council.id, owner_name: 'Sam Patel', due_on: '2026-01-05' })
      .execute();
    meetingId = await plan(hours(1));
  });

  it('lists new incidents, referrals, clocks at risk, overdue actions and repeat people, each with why', async () => {
    const agenda = await items(meetingId);
    const byRule = (rule: string) => agenda.filter((i) => i.rule === rule);
    expect(byRule('referred').map((i) => i.title)).toEqual([expect.stringContaining('Ben Agenda')]);
    expect(byRule('referred')[0].why).toContain('Threats on social media');
    // Ben's clocks are folded into his referral item, not listed twice.
    expect(byRule('referred')[0].why).toContain('First contact attempt breached');
    expect(byRule('incidents_since_last')).toHaveLength(2); // Ben's second incident was added without an urgent response link
    expect(byRule('incidents_since_last').map((i) => i.why).join(' ')).toContain('Ava Agenda (UR-');
    expect(byRule('clocks_at_risk').map((i) => i.title)).toEqual([expect.stringContaining('Ava Agenda')]);
    expect(byRule('overdue_actions').map((i) => i.title)).toEqual([expect.stringContaining('A-900001')]);
    expect(byRule('repeat_people').map((i) => i.title)).toEqual(['Ben Agenda']);
    expect(byRule('repeat_people')[0].why).toMatch(/^2 incidents in the last 90 days/);

    const page = await chair.get(`/meetings/${meetingId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Threats on social media');
    expect(await auditCount(t.db, { action: 'meeting.view', recordId: meetingId })).toBe(1);
  });

  it('never lists the same thing twice when built again, and adds what is new', async () => {
    const before = (await items(meetingId)).length;
    expect((await chair.post(`/meetings/${meetingId}/agenda`, {})).statusCode).toBe(303);
    expect((await items(meetingId)).length).toBe(before);
    await newResponse(t, council.id, 'Cy', { family: 'Agenda' });
    await chair.post(`/meetings/${meetingId}/agenda`, {});
    const titles = (await items(meetingId)).map((i) => i.title);
    expect(titles.filter((x) => x.includes('Cy Agenda'))).toHaveLength(1);
  });

  it('lets the chair add and reorder items', async () => {
    expect((await chair.post(`/meetings/${meetingId}/items`, { itemTitle: '', itemWhy: '' })).statusCode).toBe(400);
    expect((await chair.post(`/meetings/${meetingId}/items`, { itemTitle: 'Half-term diversionary activities', itemWhy: 'Youth service offer for next week' })).statusCode).toBe(303);
    let agenda = await items(meetingId);
    const added = agenda[agenda.length - 1];
    expect(added).toMatchObject({ rule: 'chair', title: 'Half-term diversionary activities' });
    await submit(chair, `/meetings/${meetingId}`, `/meetings/${meetingId}/items/${added.id}/move`, { direction: 'up' });
    agenda = await items(meetingId);
    expect(agenda[agenda.length - 2].id).toBe(added.id);
  });

  it('minutes each item with summary and decisions, refusing a stale save', async () => {
    const [first] = await items(meetingId);
    const ok = await chair.post(`/meetings/${meetingId}/items/${first.id}`, { version: String(first.version), [`summary-${first.id}`]: 'Family engaged; mother worried about retaliation.', [`decisions-${first.id}`]: 'Refer to exploitation panel.' });
    expect(ok.statusCode).toBe(303);
    const stale = await chair.post(`/meetings/${meetingId}/items/${first.id}`, { version: String(first.version), [`summary-${first.id}`]: 'Overwrites?' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this item');
    const row = await t.db.selectFrom('meeting_item').select('summary').where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(row.summary).toBe('Family engaged; mother worried about retaliation.');
  });

  it('runs the meeting an item at a page: the agenda lists them, each item has its notes, actions and the way to the next', async () => {
    const agenda = await items(meetingId);
    const list = await chair.get(`/meetings/${meetingId}`);
    // The agenda links every item and carries no notes forms: those are on the item's page.
    for (const item of agenda) expect(list.body).toContain(`href="/meetings/${meetingId}/items/${item.id}"`);
    expect(list.body).not.toContain('Save notes');
    const second = await chair.get(`/meetings/${meetingId}/items/${agenda[1].id}`);
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain(`item 2 of ${agenda.length}`);
    expect(second.body).toContain('Save notes');
    expect(second.body).toContain(`href="/meetings/${meetingId}/items/${agenda[0].id}"`);
    expect(second.body).toContain(`href="/meetings/${meetingId}/items/${agenda[2].id}"`);
    expect(await auditCount(t.db, { action: 'meeting.view', recordId: meetingId })).toBeGreaterThanOrEqual(2);
    // A saved note goes back to its item; a refused one shows the item again with the words kept.
    const saved = await submit(chair, `/meetings/${meetingId}/items/${agenda[1].id}`, `/meetings/${meetingId}/items/${agenda[1].id}`, { [`decisions-${agenda[1].id}`]: 'School to share attendance weekly' });
    expect(saved.headers.location).toBe(`/meetings/${meetingId}/items/${agenda[1].id}`);
    const tooLong = await chair.post(`/meetings/${meetingId}/items/${agenda[1].id}`, { version: '0', [`summary-${agenda[1].id}`]: 'x'.repeat(8001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain(`item 2 of ${agenda.length}`);
    // An item of another meeting, or none, is missing.
    expect((await chair.get(`/meetings/${meetingId}/items/${randomUUID()}`)).statusCode).toBe(404);
    const other = await signedIn(t, await makeUser(t.db, (await makeAgency(t.db, { kind: 'council' })).id, ['coordinator']));
    expect((await other.get(`/meetings/${meetingId}/items/${agenda[1].id}`)).statusCode).toBe(404);
  });

  it('refuses an action without an owner, and carries an open action to the next meeting', async () => {
    const agenda = await items(meetingId);
    const chairItem = agenda.find((i) => i.rule === 'chair')!;
    const due = formTime(hours(72), 'actionDue');
    const fields = { actionDescription: 'Book the sports hall for half-term', actionOwner: 'Jo Reed', 'actionDue-day': due['actionDue-day'], 'actionDue-month': due['actionDue-month'], 'actionDue-year': due['actionDue-year'] };
    const noOwner = await chair.post(`/meetings/${meetingId}/items/${chairItem.id}/actions`, { ...fields, actionAgency: '' });
    expect(noOwner.statusCode).toBe(400);
    expect(noOwner.body).toContain('Select the agency that owns the action');
    expect(await t.db.selectFrom('action').select('id').where('meeting_item_id', '=', chairItem.id).execute()).toHaveLength(0);
    expect((await chair.post(`/meetings/${meetingId}/items/${chairItem.id}/actions`, { ...fields, actionAgency: council.id })).statusCode).toBe(303);

    const attendance = await submit(chair, `/meetings/${meetingId}`, `/meetings/${meetingId}/attendance`, { [`attendance-${council.id}`]: 'present', [`attendees-${council.id}`]: 'Chair, analyst' });
    expect(attendance.statusCode).toBe(303);
    const minutes = await chair.get(`/meetings/${meetingId}/minutes`);
    expect(minutes.body).toContain('reachable-minutes__page');
    expect(minutes.body).toContain('Book the sports hall for half-term');
    expect(minutes.body).toContain('Chair, analyst');

    const next = await plan(hours(25));
    const carried = (await items(next)).filter((i) => i.rule === 'carried_forward');
    expect(carried.map((i) => i.title)).toEqual([expect.stringContaining('Book the sports hall for half-term')]);

    const actions = await chair.get('/actions');
    expect(actions.body).toContain('Book the sports hall for half-term');
    expect(actions.body).toContain('Speak to the school about a safe route');
  });

  it('answers another agency exactly like a missing meeting', async () => {
    const other = await signedIn(t, await makeUser(t.db, (await makeAgency(t.db, { kind: 'council' })).id, ['coordinator']));
    const hidden = await other.get(`/meetings/${meetingId}`);
    const missing = await other.get(`/meetings/${randomUUID()}`);
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect((await other.post(`/meetings/${meetingId}/agenda`, {})).statusCode).toBe(404);
  });

  it('refuses a second meeting of the same kind at the same time', async () => {
    const at = hours(24 * 10);
    await plan(at);
    const again = await chair.post('/meetings', meetingAt(at));
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('There is already a Daily Risk Management meeting');
  });
});

describe('the exploitation panel: same module, its own agenda rules', () => {
  it('lists locations coming to notice and people referred to it, not the DRM’s rules', async () => {
    const dee = await newResponse(t, council.id, 'Dee', { family: 'Panel' });
    await chair.post(`/urgent-responses/${dee.id}/meeting-referral`, { meetingType: 'exploitation_panel', referralReason: 'Seen with older males at the estate; missing episodes' });
    const id = await plan(hours(2), 'exploitation_panel');
    const agenda = await items(id);
    const rules = new Set(agenda.map((i) => i.rule));
    expect(rules.has('referred')).toBe(true);
    expect(rules.has('locations')).toBe(true);
    expect(rules.has('incidents_since_last')).toBe(false);
    expect(rules.has('repeat_people')).toBe(false);
    const place = agenda.find((i) => i.rule === 'locations')!;
    expect(place.title).toContain('Walthamstow Central');
    expect(place.why).toMatch(/^\d+ incidents within 250 metres/);
  });
});

describe('holding a meeting', () => {
  it('cannot mark a meeting held before the day it is planned for; on the day it can', async () => {
    const tomorrow = await plan(new Date(Date.now() + 36 * 3_600_000), 'exploitation_panel');
    const early = await chair.post(`/meetings/${tomorrow}/held`, {});
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('it cannot be marked as held before that day');
    expect((await t.db.selectFrom('meeting').select('status').where('id', '=', tomorrow).executeTakeFirstOrThrow()).status).toBe('planned');
    const today = await plan(new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000), 'exploitation_panel');
    expect((await submit(chair, `/meetings/${today}`, `/meetings/${today}/held`, {})).statusCode).toBe(303);
    expect((await t.db.selectFrom('meeting').select('status').where('id', '=', today).executeTakeFirstOrThrow()).status).toBe('held');
  });
});
