import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, formTime, makeAgency, makeUser, newResponse as makeResponse, signedIn, testApp, type Client, type TestApp, submit } from '../support/app.ts';
import { versionOf } from '../support/app.ts';

let t: TestApp;
let coordinator: Client;
let secondCoordinator: Client;
let caseworkerUser: { id: string };
let council: { id: string };

const now = () => (name: string) => formTime(new Date(Date.now() - 60_000), name);
const newResponse = async (given: string) => (await makeResponse(t, council.id, given, { family: 'Consent' })).id;

const referral = () => ({ concern: 'Stab wound; older associates waiting outside the ward.', ...now()('referredAt'), mashReference: 'MASH-1' });
const referrals = (id: string) => t.db.selectFrom('mash_referral').select('id').where('urgent_response_id', '=', id).execute();

beforeAll(async () => {
  t = await testApp();
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
  secondCoordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
  caseworkerUser = await makeUser(t.db, council.id, ['caseworker']);
});
afterAll(() => t.close());

describe('sharing needs consent or a confirmed lawful basis', () => {
  it('refuses a MASH referral with neither, whatever the form sends, and saves nothing', async () => {
    const id = await newResponse('Nia');
    const res = await coordinator.post(`/urgent-responses/${id}/mash-referral`, { ...referral(), consentOverride: 'yes', sharingAllowed: 'true' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Nothing was shared');
    expect(await referrals(id)).toHaveLength(0);
    const denied = await t.db.selectFrom('audit_event').select('outcome').where('action', '=', 'urgent-response.mash-referral').where('record_id', '=', id).execute();
    expect(denied).toEqual([{ outcome: 'denied' }]);
  });

  it('allows it once consent is given, and not after consent is withdrawn', async () => {
    const id = await newResponse('Oli');
    expect((await coordinator.post(`/urgent-responses/${id}/consent`, { consentStatus: 'given', ...now()('decidedAt') })).statusCode).toBe(400); // who gave it?
    expect((await coordinator.post(`/urgent-responses/${id}/consent`, { consentStatus: 'given', consentBy: 'parent_carer', ...now()('decidedAt') })).statusCode).toBe(303);
    expect((await coordinator.post(`/urgent-responses/${id}/mash-referral`, referral())).statusCode).toBe(303);
    expect(await referrals(id)).toHaveLength(1);
    expect((await coordinator.post(`/urgent-responses/${id}/consent`, { consentStatus: 'refused', consentBy: 'young_person', ...now()('decidedAt') })).statusCode).toBe(303);
    expect((await coordinator.post(`/urgent-responses/${id}/mash-referral`, referral())).statusCode).toBe(400);
    expect(await referrals(id)).toHaveLength(1);
  });

  it('needs the lawful basis confirmed by a second person with the permission to approve', async () => {
    const id = await newResponse('Pip');
    expect((await coordinator.post(`/urgent-responses/${id}/lawful-basis`, { basis: 'safeguarding_children', basisReason: '' })).statusCode).toBe(400);
    expect((await coordinator.post(`/urgent-responses/${id}/lawful-basis`, { basis: 'safeguarding_children', basisReason: 'Risk of retaliation; family cannot be reached.' })).statusCode).toBe(303);
    const basis = await t.db.selectFrom('lawful_basis').select('id').where('urgent_response_id', '=', id).executeTakeFirstOrThrow();
    expect((await coordinator.post(`/urgent-responses/${id}/mash-referral`, referral())).statusCode).toBe(400);

    // The person who recorded it cannot confirm it; a caseworker may not confirm at all.
    const self = await coordinator.post(`/urgent-responses/${id}/lawful-basis/${basis.id}/approve`, {});
    expect(self.statusCode).toBe(400);
    expect(self.body).toContain('second person');
    await coordinator.post(`/urgent-responses/${id}/owner`, { ownerId: caseworkerUser.id, version: await versionOf(t.db, 'urgent_response', id) });
    const caseworker = await signedIn(t, caseworkerUser);
    expect((await caseworker.post(`/urgent-responses/${id}/lawful-basis/${basis.id}/approve`, {})).statusCode).toBe(403);
    expect((await t.db.selectFrom('lawful_basis').select('approved_by').where('id', '=', basis.id).executeTakeFirstOrThrow()).approved_by).toBeNull();

    expect((await submit(secondCoordinator, `/urgent-responses/${id}/consent`, `/urgent-responses/${id}/lawful-basis/${basis.id}/approve`, {})).statusCode).toBe(303);
    expect((await caseworker.post(`/urgent-responses/${id}/mash-referral`, referral())).statusCode).toBe(303);
    expect(await referrals(id)).toHaveLength(1);
    expect(await auditCount(t.db, { action: 'urgent-response.approve-lawful-basis', recordId: id })).toBe(1);
    const page = await coordinator.get(`/urgent-responses/${id}/consent`);
    expect(page.body).toContain('Information may be shared');
    expect((await coordinator.get(`/urgent-responses/${id}/history`)).body).toContain('Lawful basis confirmed');
  });
});
