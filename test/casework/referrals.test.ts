import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgency, makeUser, newResponse, signedIn, testApp, formTime, type Client, type TestApp, submit } from '../support/app.ts';
import { addWorkingDays } from '../../src/platform/workingDays.ts';
import { londonToday } from '../../src/platform/time.ts';

let t: TestApp;
let council: { id: string };
let nhs: { id: string };
let yjs: { id: string };
let coordinator: Client;
let navigator: Client;
let navigatorId: string;
let colleague: Client;
let colleagueId: string;
let manager: Client;
let yjsWorker: Client;
let services: Record<string, string>;

const today = londonToday();
const [ty, tm, td] = today.split('-');
const consentToday = { 'consentOn-day': td, 'consentOn-month': tm, 'consentOn-year': ty };

async function addService(name: string, agencyId: string, minAge: number, maxAge: number, plannedWeeks: number | null) {
  const row = await t.db
    .insertInto('service')
    .values({ name, provider_agency_id: agencyId, domain: 'treat', description: name, min_age: minAge, max_age: maxAge, capacity: 10, referral_criteria: 'Any', contact: 'x@example.org', planned_weeks: plannedWeeks })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const idFrom = (location: unknown) => String(location).split('/').pop()!.split('#')[0];

beforeAll(async () => {
  t = await testApp();
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  nhs = await makeAgency(t.db, { kind: 'nhs_trust' });
  yjs = await makeAgency(t.db, { kind: 'youth_justice' });
  coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
  const nav = await makeUser(t.db, nhs.id, ['caseworker']);
  navigatorId = nav.id;
  navigator = await signedIn(t, nav);
  const col = await makeUser(t.db, nhs.id, ['caseworker']);
  colleagueId = col.id;
  colleague = await signedIn(t, col);
  manager = await signedIn(t, await makeUser(t.db, nhs.id, ['coordinator']));
  yjsWorker = await signedIn(t, await makeUser(t.db, yjs.id, ['caseworker']));
  services = {
    navigators: await addService('A&E navigators', nhs.id, 10, 25, 26),
    lifeSkills: await addService('LifeSkills', nhs.id, 8, 11, null),
    mentoring: await addService('Custody mentors', yjs.id, 10, 25, null),
  };
});
afterAll(() => t.close());

describe('referrals', () => {
  let responseId: string;
  let personId: string;
  let referralId: string;
  let episodeId: string;

  it('refuses a referral without consent or a lawful basis, to a service not for their age, or with consent dated in the future; nothing is sent', async () => {
    const r = await newResponse(t, council.id, 'Kai', { family: 'Referred' });
    responseId = r.id;
    personId = r.personId;
    const form = await coordinator.get(`/people/${personId}/refer?urgentResponse=${responseId}`);
    expect(form.statusCode).toBe(200);
    const key = /name="submissionKey" value="([^"]+)"/.exec(form.body)![1];
    const base = { urgentResponseId: responseId, submissionKey: key, reason: 'Stabbed outside the station; wants help to stay safe.' };

    const noBasis = await coordinator.post(`/people/${personId}/refer`, { ...base, serviceId: services.navigators });
    expect(noBasis.statusCode).toBe(400);
    expect(noBasis.body).toContain('govuk-error-summary');
    expect(noBasis.body).toContain('Select whether the young person (or their parent or carer) consented');

    const tooOld = await coordinator.post(`/people/${personId}/refer`, { ...base, serviceId: services.lifeSkills, sharingBasis: 'consent', consentBy: 'young_person', ...consentToday });
    expect(tooOld.statusCode).toBe(400);
    expect(tooOld.body).toContain('LifeSkills takes young people aged 8 to 11; Kai is 15');

    const future = await coordinator.post(`/people/${personId}/refer`, { ...base, serviceId: services.navigators, sharingBasis: 'consent', consentBy: 'young_person', 'consentOn-day': td, 'consentOn-month': tm, 'consentOn-year': String(Number(ty) + 1) });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('Date consent was given must be today or in the past');

    const vague = await coordinator.post(`/people/${personId}/refer`, { ...base, serviceId: services.navigators, sharingBasis: 'lawful_basis' });
    expect(vague.body).toContain('Select the lawful basis for sharing without consent');
    expect(await t.db.selectFrom('referral').selectAll().execute()).toEqual([]);
  });

  it('refuses consent as the basis when consent was refused on the urgent response', async () => {
    const r = await newResponse(t, council.id, 'Refusing');
    await coordinator.post(`/urgent-responses/${r.id}/consent`, { consentStatus: 'refused', consentBy: 'young_person', ...formTime(new Date(Date.now() - 3_600_000), 'decidedAt') });
    const form = await coordinator.get(`/people/${r.personId}/refer?urgentResponse=${r.id}`);
    const key = /name="submissionKey" value="([^"]+)"/.exec(form.body)![1];
    const res = await coordinator.post(`/people/${r.personId}/refer`, { urgentResponseId: r.id, submissionKey: key, reason: 'Needs support', serviceId: services.navigators, sharingBasis: 'consent', consentBy: 'young_person', ...consentToday });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Consent was refused for Refusing: a referral cannot say it was given');
  });

  it('sends a referral from an urgent response once, due in five working days, seen only by the two agencies', async () => {
    const form = await coordinator.get(`/people/${personId}/refer?urgentResponse=${responseId}`);
    const key = /name="submissionKey" value="([^"]+)"/.exec(form.body)![1];
    const body = { urgentResponseId: responseId, submissionKey: key, reason: 'Stabbed outside the station; wants help to stay safe.', serviceId: services.navigators, sharingBasis: 'consent', consentBy: 'young_person', ...consentToday };
    const sent = await coordinator.post(`/people/${personId}/refer`, body);
    expect(sent.statusCode).toBe(303);
    referralId = idFrom(sent.headers.location);
    expect(idFrom((await coordinator.post(`/people/${personId}/refer`, body)).headers.location)).toBe(referralId);
    const row = await t.db.selectFrom('referral').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', sharing_basis: 'consent', consent_by: 'young_person', urgent_response_id: responseId, response_due_on: addWorkingDays(today, 5) });
    expect(await t.db.selectFrom('audit_event').select('person_id').where('action', '=', 'referral.send').execute()).toEqual([{ person_id: personId }]);

    const tasks = await navigator.get('/referrals');
    expect(tasks.body).toContain('Referrals to your agency’s services');
    expect(tasks.body).toContain(row.reference);
    const missing = await yjsWorker.get(`/referrals/${referralId}`);
    const nowhere = await yjsWorker.get('/referrals/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.body.replace(/[a-f0-9-]{36}|[A-Za-z0-9+/=_-]{20,}/g, '')).toBe(nowhere.body.replace(/[a-f0-9-]{36}|[A-Za-z0-9+/=_-]{20,}/g, ''));
  });

  it('needs a reason to decline, and opens an episode from an accepted referral', async () => {
    const page = await navigator.get(`/referrals/${referralId}`);
    expect(page.body).toContain('Respond to the referral');
    const decline = await navigator.post(`/referrals/${referralId}/decision`, { version: '1', decision: 'declined' });
    expect(decline.statusCode).toBe(400);
    expect(decline.body).toContain('Say why the referral is declined');
    expect((await coordinator.post(`/referrals/${referralId}/decision`, { version: '1', decision: 'accepted' })).statusCode).toBe(404);
    expect((await navigator.post(`/referrals/${referralId}/decision`, { version: '1', decision: 'accepted' })).statusCode).toBe(303);
    const stale = await navigator.post(`/referrals/${referralId}/decision`, { version: '1', decision: 'declined', decisionReason: 'Full' });
    expect(stale.statusCode).toBe(409);
    const started = await navigator.post(`/referrals/${referralId}/start`, { version: '2', leadWorkerId: navigatorId, 'startedOn-day': td, 'startedOn-month': tm, 'startedOn-year': ty, 'reviewOn-day': td, 'reviewOn-month': tm, 'reviewOn-year': String(Number(ty) + 1) });
    expect(started.statusCode).toBe(303);
    episodeId = idFrom(started.headers.location);
    const episode = await t.db.selectFrom('episode').selectAll().where('id', '=', episodeId).executeTakeFirstOrThrow();
    expect(episode.planned_end_on).toBe(new Date(Date.parse(`${today}T12:00:00Z`) + 26 * 7 * 86_400_000).toISOString().slice(0, 10));
    expect((await t.db.selectFrom('referral').select('status').where('id', '=', referralId).executeTakeFirstOrThrow()).status).toBe('started');
    // The referring agency sees that the NHS is working with the child, and who, on the person page.
    const person = await yjsWorker.get(`/people/${personId}`);
    expect(person.body).toContain('A&amp;E navigators');
  });

  it('keeps each note at its level in the page, the search and the export', async () => {
    // The note form starts at now: the date and the time.
    const form = (await navigator.get(`/episodes/${episodeId}`)).body;
    expect(form).toMatch(/name="happenedAt-time"[^>]*value="\d{2}:\d{2}"|value="\d{2}:\d{2}"[^>]*name="happenedAt-time"/);
    const note = (body: string, visibility: string) => navigator.post(`/episodes/${episodeId}/notes`, { kind: 'contact', method: 'face_to_face', ...formTime(new Date(Date.now() - 3_600_000), 'happenedAt'), body, visibility });
    expect((await note('Met Kai at the hospital: shared note', 'all')).statusCode).toBe(303);
    expect((await note('Kai talked about home: agency note', 'agency')).statusCode).toBe(303);
    expect((await note('Kai disclosed something: restricted note', 'restricted')).statusCode).toBe(303);
    const bad = await navigator.post(`/episodes/${episodeId}/notes`, { kind: 'contact', body: '', visibility: 'everyone' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select how the contact happened');

    const seen = async (client: Client) => {
      const page = (await client.get(`/episodes/${episodeId}`)).body;
      const search = (await client.post(`/episodes/${episodeId}/notes/search`, { q: 'note' })).body;
      const csv = (await client.get(`/episodes/${episodeId}/notes.csv`)).body;
      return ['shared note', 'agency note', 'restricted note'].map((n) => [page.includes(n), search.includes(n), csv.includes(n)]);
    };
    expect(await seen(navigator)).toEqual([[true, true, true], [true, true, true], [true, true, true]]);
    expect(await seen(colleague)).toEqual([[true, true, true], [true, true, true], [false, false, false]]);
    expect(await seen(coordinator)).toEqual([[true, true, true], [false, false, false], [false, false, false]]);
    expect((await yjsWorker.get(`/episodes/${episodeId}`)).statusCode).toBe(404);
    // The referrer reads but cannot write.
    expect((await coordinator.post(`/episodes/${episodeId}/notes`, { kind: 'note', body: 'x', visibility: 'all', ...formTime(new Date(), 'happenedAt') })).statusCode).toBe(404);
  });

  it('records goals, outcomes at the start and end, and closes with an outcome that ends the referral', async () => {
    expect((await navigator.post(`/episodes/${episodeId}/goals`, { goal: 'Back in school full time' })).statusCode).toBe(303);
    const goal = await t.db.selectFrom('episode_goal').select('id').executeTakeFirstOrThrow();
    expect((await submit(navigator, `/episodes/${episodeId}`, `/episodes/${episodeId}/goals/${goal.id}`, { goalStatus: 'achieved', progressNote: 'Full week attended' })).statusCode).toBe(303);
    const measures = (stage: string, extra: Record<string, string> = {}) => ({ stage, 'measuredOn-day': td, 'measuredOn-month': tm, 'measuredOn-year': ty, offences6m: '2', victimisation6m: '1', attendancePct: '62.5', exclusions: '1', eteStatus: 'school', benefitStatus: 'not_known', ...extra });
    const wrong = await navigator.post(`/episodes/${episodeId}/outcomes`, measures('start', { attendancePct: '120', offences6m: 'two' }));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('School attendance must be a percentage from 0 to 100');
    expect(wrong.body).toContain('Offences in the previous six months must be a whole number');
    expect((await navigator.post(`/episodes/${episodeId}/outcomes`, measures('start'))).statusCode).toBe(303);
    expect((await navigator.post(`/episodes/${episodeId}/outcomes`, measures('start'))).body).toContain('already recorded');
    expect((await navigator.post(`/episodes/${episodeId}/outcomes`, measures('end', { offences6m: '0', attendancePct: '91' }))).statusCode).toBe(303);
    expect((await navigator.post(`/episodes/${episodeId}/close`, { outcome: 'completed' })).body).toContain('Summarise the work');
    expect((await submit(navigator, `/episodes/${episodeId}`, `/episodes/${episodeId}/close`, { outcome: 'completed', 'closedOn-day': td, 'closedOn-month': tm, 'closedOn-year': ty, closureNote: 'Goals met' })).statusCode).toBe(303);
    expect(await t.db.selectFrom('referral').select(['status', 'end_reason']).where('id', '=', referralId).executeTakeFirstOrThrow()).toEqual({ status: 'ended', end_reason: 'completed' });
    expect((await navigator.post(`/episodes/${episodeId}/goals`, { goal: 'Another' })).statusCode).toBe(409);
  });

  it('transfers a case with its consent, which the receiving agency must confirm', async () => {
    const r = await newResponse(t, council.id, 'Transferring');
    let form = await coordinator.get(`/people/${r.personId}/refer?urgentResponse=${r.id}`);
    let key = /name="submissionKey" value="([^"]+)"/.exec(form.body)![1];
    const first = await coordinator.post(`/people/${r.personId}/refer`, { urgentResponseId: r.id, submissionKey: key, reason: 'Support', serviceId: services.navigators, sharingBasis: 'consent', consentBy: 'parent_carer', ...consentToday });
    const firstId = idFrom(first.headers.location);
    await navigator.post(`/referrals/${firstId}/decision`, { version: '1', decision: 'accepted' });
    const opened = await navigator.post(`/referrals/${firstId}/start`, { version: '2', leadWorkerId: navigatorId, 'startedOn-day': td, 'startedOn-month': tm, 'startedOn-year': ty, 'reviewOn-day': td, 'reviewOn-month': tm, 'reviewOn-year': String(Number(ty) + 1) });
    const fromEpisode = idFrom(opened.headers.location);

    form = await navigator.get(`/people/${r.personId}/refer?episode=${fromEpisode}`);
    expect(form.body).toContain('Is this a transfer of the case?');
    expect((await yjsWorker.get(`/people/${r.personId}/refer?episode=${fromEpisode}`)).statusCode).toBe(404);
    key = /name="submissionKey" value="([^"]+)"/.exec(form.body)![1];
    const transfer = await navigator.post(`/people/${r.personId}/refer`, { fromEpisodeId: fromEpisode, submissionKey: key, reason: 'Arrested: youth justice to lead', serviceId: services.mentoring, transfer: 'yes' });
    expect(transfer.statusCode).toBe(303);
    const transferId = idFrom(transfer.headers.location);
    expect(await t.db.selectFrom('referral').select(['is_transfer', 'sharing_basis', 'consent_by']).where('id', '=', transferId).executeTakeFirstOrThrow()).toEqual({ is_transfer: true, sharing_basis: 'consent', consent_by: 'parent_carer' });

    const unconfirmed = await yjsWorker.post(`/referrals/${transferId}/decision`, { version: '1', decision: 'accepted' });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Confirm that the consent recorded on the case covers your service’s work');
    expect((await yjsWorker.post(`/referrals/${transferId}/decision`, { version: '1', decision: 'accepted', consentConfirmed: 'yes' })).statusCode).toBe(303);
    const yjsUser = await t.db.selectFrom('app_user').select('id').where('agency_id', '=', yjs.id).executeTakeFirstOrThrow();
    expect((await yjsWorker.post(`/referrals/${transferId}/start`, { version: '2', leadWorkerId: yjsUser.id, 'startedOn-day': td, 'startedOn-month': tm, 'startedOn-year': ty, 'reviewOn-day': td, 'reviewOn-month': tm, 'reviewOn-year': String(Number(ty) + 1) })).statusCode).toBe(303);
    expect(await t.db.selectFrom('episode').select(['outcome']).where('id', '=', fromEpisode).executeTakeFirstOrThrow()).toEqual({ outcome: 'transferred' });
    expect((await t.db.selectFrom('referral').select(['consent_confirmed_by']).where('id', '=', transferId).executeTakeFirstOrThrow()).consent_confirmed_by).toBe(yjsUser.id);
  });

  it('warns as an episode nears its planned length', async () => {
    const past = new Date(Date.now() - 24 * 7 * 86_400_000).toISOString().slice(0, 10);
    await t.db.updateTable('episode').set({ started_on: past, planned_end_on: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10), closed_on: null, outcome: null }).where('id', '=', episodeId).execute();
    expect((await navigator.get(`/episodes/${episodeId}`)).body).toContain('This episode nears its planned length');
  });

  it('shows a worker their caseload, and lets their manager reassign, audited', async () => {
    const caseload = await navigator.get('/caseload');
    expect(caseload.body).toContain('Kai Referred');
    expect(caseload.body).toContain('Ending soon');
    expect((await navigator.get('/')).body).toContain('1 open episode you lead');
    expect((await navigator.post(`/episodes/${episodeId}/reassign`, { leadWorkerId: colleagueId })).statusCode).toBe(403);
    const team = await manager.get('/caseload/team');
    expect(team.body).toContain('Kai Referred');
    expect((await submit(manager, `/episodes/${episodeId}`, `/episodes/${episodeId}/reassign`, { leadWorkerId: navigatorId })).body).toContain('already leads this episode');
    expect((await submit(manager, `/episodes/${episodeId}`, `/episodes/${episodeId}/reassign`, { leadWorkerId: colleagueId })).statusCode).toBe(303);
    expect((await t.db.selectFrom('episode').select('lead_worker_id').where('id', '=', episodeId).executeTakeFirstOrThrow()).lead_worker_id).toBe(colleagueId);
    const audit = await t.db.selectFrom('audit_event').select(['person_id', 'detail']).where('action', '=', 'episode.reassign').where('outcome', '=', 'allowed').execute();
    expect(audit).toEqual([{ person_id: personId, detail: { from: navigatorId, to: colleagueId } }]);
    expect((await colleague.get('/caseload')).body).toContain('Kai Referred');
  });
});
