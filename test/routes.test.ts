// Every route declares who may use it and what it audits; every role is
// tried against every route; other agencies' records answer like missing ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '../src/platform/permissions.ts';
import { createApiClient } from '../src/modules/access/accounts.ts';
import { Client, auditCount, incidentForm, makeAgency, makeUser, signedIn, testApp, type TestApp } from './support/app.ts';

const ALL: Role[] = [...ROLES];
const R = (...roles: Role[]) => roles;

/**
 * Who may use each route. 'public' routes need no sign-in; 'second-factor'
 * routes only a checked password. A new route fails this test until it is added here.
 */
const EXPECTED: Record<string, Role[] | 'public' | 'second-factor' | 'passkey-enrolment'> = {
  'GET /assets/*': 'public',
  'GET /health': 'public',
  'GET /accessibility': 'public',
  'GET /privacy': 'public',
  'GET /api/openapi.json': 'public',
  'GET /sign-in': 'public',
  'POST /sign-in': 'public',
  'POST /sign-out': 'public',
  'GET /signed-out': 'public',
  'GET /set-up/:token': 'public',
  'GET /sign-in/sso': 'public',
  'GET /sign-in/sso/callback': 'public',
  'POST /set-up/:token': 'public',
  'GET /sign-in/code': 'second-factor',
  'POST /sign-in/code': 'second-factor',
  'GET /sign-in/set-up-code': 'second-factor',
  'POST /sign-in/set-up-code': 'second-factor',
  'GET /sign-in/passkey': 'second-factor',
  'POST /sign-in/passkey': 'second-factor',
  'GET /sign-in/passkey/register': 'passkey-enrolment',
  'POST /sign-in/passkey/register': 'passkey-enrolment',
  'GET /account/passkeys': ALL,
  'POST /account/passkeys': ALL,
  'POST /account/passkeys/:id/rename': ALL,
  'POST /account/passkeys/:id/remove': ALL,
  'POST /admin/users/:id/unlock': R('administrator'),
  'POST /admin/sign-in-policy': R('administrator'),
  'POST /people/:id/sharing': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'POST /people/:id/sharing/:itemId/confirm': R('coordinator', 'panel_chair'),
  'POST /people/:id/sharing/:itemId/withdraw': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'GET /': ALL,
  // Issue 23: panels as configuration, missing episodes, NRM, education, risk plan review.
  'GET /meeting-types': R('administrator'),
  'GET /meeting-types/new': R('administrator'),
  'POST /meeting-types': R('administrator'),
  'GET /meeting-types/:code': R('administrator'),
  'POST /meeting-types/:code': R('administrator'),
  'POST /people/:id/meeting-referral': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'POST /contexts/:id/meeting-referral': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'POST /meetings/:id/items/:itemId/plan-review': R('coordinator', 'panel_chair'),
  'GET /missing-episodes': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'GET /missing-episodes/:id': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'GET /people/:id/missing-episodes/new': R('coordinator', 'caseworker', 'police'),
  'POST /people/:id/missing-episodes': R('coordinator', 'caseworker', 'police'),
  'POST /missing-episodes/:id/return': R('coordinator', 'caseworker', 'police'),
  'POST /missing-episodes/:id/interview': R('coordinator', 'caseworker', 'police'),
  'POST /api/v1/missing-episodes': R('coordinator', 'caseworker', 'police'),
  'GET /nrm-referrals': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'GET /nrm-referrals/:id': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'GET /people/:id/nrm-referrals/new': R('coordinator', 'caseworker', 'police'),
  'POST /people/:id/nrm-referrals': R('coordinator', 'caseworker', 'police'),
  'POST /nrm-referrals/:id/decision': R('coordinator', 'caseworker', 'police'),
  'GET /people/:id/education/new': R('coordinator', 'caseworker'),
  'POST /people/:id/education': R('coordinator', 'caseworker'),
  'GET /disproportionality/stop-and-search': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  'GET /critical-incidents': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair', 'analyst'),
  'GET /critical-incidents/:id': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair', 'analyst'),
  'GET /critical-incidents/:id/briefing': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair', 'analyst'),
  'GET /critical-incidents/:id/assess': R('coordinator', 'police', 'panel_chair'),
  'POST /critical-incidents/:id/assess': R('coordinator', 'police', 'panel_chair'),
  'POST /critical-incidents/:id/contacts': R('coordinator', 'police', 'panel_chair'),
  'POST /critical-incidents/:id/reassurance': R('coordinator', 'police', 'panel_chair'),
  'POST /critical-incidents/:id/close': R('coordinator', 'police', 'panel_chair'),
  'GET /incidents/:id/critical': R('coordinator', 'police', 'panel_chair'),
  'POST /incidents/:id/critical': R('coordinator', 'police', 'panel_chair'),
  'GET /admin/critical-incident-contacts': R('administrator'),
  'POST /admin/critical-incident-contacts': R('administrator'),
  'GET /orders': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair'),
  'GET /orders/map': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair'),
  'GET /orders/:id': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair'),
  'GET /api/v1/people/:id/orders': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair'),
  'GET /people/:id/orders/new': R('police', 'enforcement'),
  'POST /people/:id/orders': R('police', 'enforcement'),
  'GET /orders/new-place': R('police', 'enforcement'),
  'POST /orders/place': R('police', 'enforcement'),
  'POST /orders/:id/conditions': R('police', 'enforcement'),
  'POST /orders/:id/conditions/search': R('police', 'enforcement'),
  'POST /orders/:id/end': R('police', 'enforcement'),
  'POST /orders/:id/reviews': R('police', 'enforcement'),
  'GET /orders/breaches/:id': R('police', 'enforcement'),
  'POST /orders/breaches/:id': R('police', 'enforcement'),
  'POST /api/v1/orders': R('police', 'enforcement'),
  'GET /admin/order-kinds': R('administrator'),
  'POST /admin/order-kinds': R('administrator'),
  'POST /search': ALL,
  'GET /admin/users': R('administrator'),
  'GET /admin/users/new': R('administrator'),
  'POST /admin/users': R('administrator'),
  'GET /admin/users/:id': R('administrator'),
  'POST /admin/users/:id': R('administrator'),
  'POST /admin/users/:id/disable': R('administrator'),
  'POST /admin/users/:id/enable': R('administrator'),
  'POST /admin/users/:id/reset': R('administrator'),
  'GET /admin/agencies': R('administrator'),
  'GET /admin/agencies/new': R('administrator'),
  'POST /admin/agencies': R('administrator'),
  'GET /admin/agencies/:id': R('administrator'),
  'POST /admin/agencies/:id': R('administrator'),
  'GET /admin/api-clients': R('administrator'),
  'GET /admin/api-clients/new': R('administrator'),
  'POST /admin/api-clients': R('administrator'),
  'POST /admin/api-clients/:id/revoke': R('administrator'),
  'GET /audit': R('ig_officer'),
  'GET /audit/export.csv': R('ig_officer'),
  'GET /incidents': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /incidents/new': R('coordinator', 'police'),
  'POST /incidents': R('coordinator', 'police'),
  'GET /incidents/:id': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /incidents/:id/edit': R('coordinator', 'police'),
  'POST /incidents/:id': R('coordinator', 'police'),
  'GET /incidents/:id/people/new': R('coordinator', 'police'),
  'POST /incidents/:id/people/search': R('coordinator', 'police'),
  'POST /incidents/:id/people': R('coordinator', 'police'),
  'POST /incidents/:id/people/:involvementId/remove': R('coordinator', 'police'),
  'GET /urgent-responses': R('coordinator', 'caseworker', 'panel_chair'),
  'GET /notifications': ALL,
  'GET /urgent-responses/:id': R('coordinator', 'caseworker', 'panel_chair'),
  'GET /urgent-responses/:id/attempts': R('coordinator', 'caseworker', 'panel_chair'),
  'GET /urgent-responses/:id/consent': R('coordinator', 'caseworker', 'panel_chair'),
  'GET /urgent-responses/:id/plan': R('coordinator', 'caseworker', 'panel_chair'),
  'GET /urgent-responses/:id/history': R('coordinator', 'caseworker', 'panel_chair'),
  'POST /urgent-responses/:id/attempts': R('coordinator', 'caseworker'),
  'POST /urgent-responses/:id/owner': R('coordinator'),
  'POST /urgent-responses/:id/meeting-referral': R('coordinator', 'caseworker'),
  'GET /urgent-responses/:id/needs': R('coordinator', 'caseworker', 'panel_chair'),
  'GET /urgent-responses/:id/needs/edit': R('coordinator', 'caseworker'),
  'POST /urgent-responses/:id/needs': R('coordinator', 'caseworker'),
  'POST /urgent-responses/:id/actions': R('coordinator', 'caseworker'),
  'POST /urgent-responses/:id/custody': R('coordinator', 'caseworker'),
  'GET /actions': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'POST /actions/:id/status': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'GET /meetings': R('coordinator', 'panel_chair'),
  'POST /meetings': R('coordinator', 'panel_chair'),
  'GET /meetings/:id': R('coordinator', 'panel_chair'),
  'GET /meetings/:id/items/:itemId': R('coordinator', 'panel_chair'),
  'GET /meetings/:id/minutes': R('coordinator', 'panel_chair'),
  'POST /meetings/:id/agenda': R('coordinator', 'panel_chair'),
  'POST /meetings/:id/attendance': R('coordinator', 'panel_chair'),
  'POST /meetings/:id/held': R('coordinator', 'panel_chair'),
  'POST /meetings/:id/items': R('coordinator', 'panel_chair'),
  'POST /meetings/:id/items/:itemId/move': R('coordinator', 'panel_chair'),
  'POST /meetings/:id/items/:itemId': R('coordinator', 'panel_chair'),
  'GET /meetings/:id/items/:itemId/actions': R('coordinator', 'panel_chair'),
  'POST /meetings/:id/items/:itemId/actions': R('coordinator', 'panel_chair'),
  'GET /figures': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  'GET /figures/export.csv': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  'POST /incidents/:id/urgent-responses': R('coordinator'),
  'POST /api/v1/custody-notifications': R('coordinator', 'police'),
  'POST /api/v1/hospital-referrals': R('coordinator', 'caseworker'),
  'GET /urgent-responses/:id/close': R('coordinator'),
  'POST /urgent-responses/:id/consent': R('coordinator', 'caseworker'),
  'POST /urgent-responses/:id/lawful-basis': R('coordinator', 'caseworker'),
  'POST /urgent-responses/:id/lawful-basis/:basisId/approve': R('coordinator', 'panel_chair'),
  'POST /urgent-responses/:id/mash-referral': R('coordinator', 'caseworker'),
  'POST /urgent-responses/:id/close': R('coordinator'),
  'POST /api/v1/incidents': R('coordinator', 'police'),
  'GET /people': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair'),
  'POST /people/search': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair'),
  'GET /people/new': R('coordinator', 'caseworker', 'police'),
  'POST /people': R('coordinator', 'caseworker', 'police'),
  'GET /people/:id': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair'),
  'POST /people/:id/aliases': R('coordinator', 'caseworker', 'police'),
  'POST /people/:id/identifiers': R('coordinator', 'caseworker', 'police'),
  'POST /people/:id/addresses': R('coordinator', 'caseworker', 'police'),
  'POST /people/:id/markers': R('coordinator', 'caseworker', 'police'),
  'POST /people/:id/markers/:itemId/remove': R('coordinator', 'caseworker', 'police'),
  'POST /people/:id/involvements': R('coordinator', 'caseworker', 'police'),
  'POST /people/:id/involvements/:itemId/end': R('coordinator', 'caseworker', 'police'),
  'GET /people/:id/merge': R('coordinator'),
  'POST /people/:id/merge': R('coordinator'),
  'POST /people/merges/:id/undo': R('coordinator'),
  'POST /people/:id/cohort': R('coordinator', 'caseworker', 'panel_chair'),
  'POST /people/:id/cohort/end': R('coordinator', 'caseworker', 'panel_chair'),
  'GET /services': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member', 'administrator'),
  'GET /services/new': R('coordinator', 'administrator'),
  'POST /services': R('coordinator', 'administrator'),
  'GET /services/:id': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member', 'administrator'),
  'GET /services/:id/edit': R('coordinator', 'administrator'),
  'POST /services/:id': R('coordinator', 'administrator'),
  'GET /cohorts/reviews': R('coordinator', 'caseworker', 'panel_chair'),
  'GET /people/:id/refer': R('coordinator', 'caseworker', 'police'),
  'POST /people/:id/refer': R('coordinator', 'caseworker', 'police'),
  'GET /referrals': R('coordinator', 'caseworker', 'police'),
  'GET /referrals/:id': R('coordinator', 'caseworker', 'police'),
  'POST /referrals/:id/decision': R('coordinator', 'caseworker'),
  'POST /referrals/:id/start': R('coordinator', 'caseworker'),
  'POST /referrals/:id/withdraw': R('coordinator', 'caseworker', 'police'),
  'GET /episodes/:id': R('coordinator', 'caseworker', 'police'),
  'POST /episodes/:id/notes/search': R('coordinator', 'caseworker', 'police'),
  'GET /episodes/:id/notes.csv': R('coordinator', 'caseworker', 'police'),
  'POST /episodes/:id/notes': R('coordinator', 'caseworker'),
  'POST /episodes/:id/goals': R('coordinator', 'caseworker'),
  'POST /episodes/:id/goals/:itemId': R('coordinator', 'caseworker'),
  'POST /episodes/:id/outcomes': R('coordinator', 'caseworker'),
  'POST /episodes/:id/review': R('coordinator', 'caseworker'),
  'POST /episodes/:id/close': R('coordinator', 'caseworker'),
  'POST /episodes/:id/reassign': R('coordinator'),
  'POST /people/:id/families': R('coordinator', 'caseworker'),
  'GET /families/:id': R('coordinator', 'caseworker', 'panel_chair'),
  'POST /families/:id/champion': R('coordinator', 'caseworker'),
  'POST /families/:id/members/search': R('coordinator', 'caseworker'),
  'POST /families/:id/members': R('coordinator', 'caseworker'),
  'POST /families/:id/members/:itemId/remove': R('coordinator', 'caseworker'),
  'GET /outcomes': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  'GET /strategy': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member'),
  'GET /strategy/new': R('coordinator', 'panel_chair', 'analyst'),
  'POST /strategy': R('coordinator', 'panel_chair', 'analyst'),
  'GET /strategy/:id': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member'),
  'POST /strategy/:id/commitments': R('coordinator', 'panel_chair', 'analyst'),
  'POST /strategy/:id/actions': R('coordinator', 'panel_chair', 'analyst'),
  'POST /strategy/:id/measures': R('coordinator', 'panel_chair', 'analyst'),
  'GET /strategy/actions/:id': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member'),
  'POST /strategy/actions/:id/progress': R('coordinator', 'panel_chair', 'analyst'),
  'POST /strategy/actions/:id/milestones': R('coordinator', 'panel_chair', 'analyst'),
  'POST /strategy/actions/:id/milestones/:milestoneId/done': R('coordinator', 'panel_chair', 'analyst'),
  'GET /strategy/principles': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member'),
  'POST /strategy/principles': R('coordinator', 'panel_chair', 'analyst'),
  'GET /strategy/alignment': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member'),
  'GET /strategy/alignment.csv': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member'),
  'GET /strategy/import': R('coordinator', 'panel_chair', 'analyst'),
  'POST /strategy/import': R('coordinator', 'panel_chair', 'analyst'),
  'GET /indicators': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member'),
  'POST /indicators': R('coordinator', 'panel_chair', 'analyst'),
  'GET /indicators/:id': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member'),
  'POST /indicators/:id/target': R('coordinator', 'panel_chair', 'analyst'),
  'POST /indicators/:id/values': R('coordinator', 'panel_chair', 'analyst'),
  'GET /disproportionality': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  'GET /disproportionality/export.csv': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  'GET /disproportionality/population': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  'POST /disproportionality/population': R('analyst', 'administrator'),
  'GET /board': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  'GET /board/export.csv': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  'GET /sharing-agreements': R('board_member', 'ig_officer', 'administrator'),
  'GET /sharing-agreements/:id': R('board_member', 'ig_officer', 'administrator'),
  'GET /sharing-agreements/new': R('ig_officer'),
  'POST /sharing-agreements': R('ig_officer'),
  'POST /sharing-agreements/:id': R('ig_officer'),
  'POST /sharing-agreements/:id/document': R('ig_officer'),
  'GET /sharing-agreements/:id/document': R('board_member', 'ig_officer', 'administrator'),
  'GET /retention': R('ig_officer', 'administrator'),
  'GET /retention/:kind': R('ig_officer', 'administrator'),
  'POST /retention/:kind/rule': R('ig_officer'),
  'POST /retention/:kind/approve': R('ig_officer'),
  'GET /legal-holds': R('ig_officer', 'administrator'),
  'POST /legal-holds': R('ig_officer'),
  'POST /legal-holds/:id/lift': R('ig_officer'),
  'GET /emergency-access/new': R('coordinator', 'caseworker', 'panel_chair'),
  'POST /emergency-access/new': R('coordinator', 'caseworker', 'panel_chair'),
  'GET /emergency-access': R('ig_officer'),
  'GET /emergency-access/:id': R('ig_officer'),
  'POST /emergency-access/:id/review': R('ig_officer'),
  'GET /audit/review': R('ig_officer'),
  'POST /audit/review/thresholds': R('ig_officer'),
  'GET /rights-requests': R('ig_officer'),
  'GET /rights-requests/new': R('ig_officer'),
  'POST /rights-requests': R('ig_officer'),
  'GET /rights-requests/:id': R('ig_officer'),
  'POST /rights-requests/:id/decision': R('ig_officer'),
  'GET /what-we-hold': R('board_member', 'ig_officer', 'administrator'),
  'GET /what-we-hold.csv': R('board_member', 'ig_officer', 'administrator'),
  'GET /subject-access': R('ig_officer'),
  'GET /subject-access/new': R('ig_officer'),
  'POST /subject-access': R('ig_officer'),
  'GET /subject-access/:id': R('ig_officer'),
  'POST /subject-access/:id/person': R('ig_officer'),
  'POST /subject-access/:id/extend': R('ig_officer'),
  'POST /subject-access/:id/redactions': R('ig_officer'),
  'POST /subject-access/:id/complete': R('ig_officer'),
  'GET /subject-access/:id/bundle': R('ig_officer'),
  'GET /subject-access/:id/bundle.json': R('ig_officer'),
  'GET /products': R('coordinator', 'police', 'panel_chair', 'analyst', 'board_member'),
  'GET /products/:id': R('coordinator', 'police', 'panel_chair', 'analyst', 'board_member'),
  'GET /products/:id/product.pdf': R('coordinator', 'police', 'panel_chair', 'analyst', 'board_member'),
  'GET /products/:id/tables.csv': R('coordinator', 'police', 'panel_chair', 'analyst', 'board_member'),
  'GET /products/new': R('analyst', 'police'),
  'POST /products': R('analyst', 'police'),
  'POST /products/:id/sections': R('analyst', 'police'),
  'POST /products/:id/generate': R('analyst', 'police'),
  'GET /people/:id/who-else': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /incidents/:id/who-else': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'POST /who-else/agenda': R('coordinator', 'panel_chair'),
  'GET /people/:id/links': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'POST /people/:id/links/search': R('coordinator', 'caseworker', 'police'),
  'GET /people/:id/links/new': R('coordinator', 'caseworker', 'police'),
  'POST /people/:id/links': R('coordinator', 'caseworker', 'police'),
  'GET /groups/:id/links/new': R('coordinator', 'caseworker', 'police'),
  'POST /groups/:id/links': R('coordinator', 'caseworker', 'police'),
  'GET /links/:id/remove': R('coordinator', 'caseworker', 'police'),
  'POST /links/:id/remove': R('coordinator', 'caseworker', 'police'),
  'POST /links/:id/review': R('coordinator', 'caseworker', 'police'),
  'GET /links/review': R('coordinator', 'caseworker', 'police'),
  'GET /network': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /groups/new': R('coordinator', 'caseworker', 'police'),
  'POST /groups': R('coordinator', 'caseworker', 'police'),
  'GET /groups/:id': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /places': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'POST /places': R('coordinator', 'caseworker', 'police'),
  'GET /network/:kind/:id': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /network/:kind/:id/export/:format': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /hot-spots': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /hot-times': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /term-dates': R('analyst', 'administrator'),
  'POST /term-dates': R('analyst', 'administrator'),
  'POST /term-dates/remove': R('analyst', 'administrator'),
  'POST /term-dates/window': R('analyst', 'administrator'),
  'GET /tasking': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /tasking.csv': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /near-repeats': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'GET /imports': R('police', 'analyst'),
  'POST /imports': R('police', 'analyst'),
  'GET /imports/codes': R('analyst', 'administrator'),
  'POST /imports/codes': R('analyst', 'administrator'),
  'GET /imports/unmatched': R('analyst', 'administrator'),
  'POST /imports/unmatched': R('analyst', 'administrator'),
  'GET /contexts': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'GET /contexts/:id': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'GET /contexts/new': R('coordinator', 'caseworker'),
  'POST /contexts': R('coordinator', 'caseworker'),
  'POST /contexts/:id/interventions': R('coordinator', 'caseworker'),
  'POST /contexts/:id/interventions/status': R('coordinator', 'caseworker'),
  'POST /contexts/:id/review': R('coordinator', 'caseworker'),
  'POST /contexts/:id/people': R('coordinator', 'caseworker'),
  'POST /contexts/:id/people/search': R('coordinator', 'caseworker'),
  'POST /contexts/:id/incidents': R('coordinator', 'caseworker'),
  'POST /contexts/:id/links/remove': R('coordinator', 'caseworker'),
  'GET /reviews': R('coordinator', 'police', 'panel_chair', 'analyst', 'board_member'),
  'POST /reviews/search': R('coordinator', 'police', 'panel_chair', 'analyst', 'board_member'),
  'GET /reviews/:id': R('coordinator', 'police', 'panel_chair', 'analyst', 'board_member'),
  'GET /reviews/new': R('coordinator', 'panel_chair'),
  'POST /reviews': R('coordinator', 'panel_chair'),
  'POST /reviews/:id/findings': R('coordinator', 'panel_chair'),
  'POST /reviews/:id/recommendations': R('coordinator', 'panel_chair'),
  'POST /reviews/:id/close': R('coordinator', 'panel_chair'),
  'GET /caseload': R('coordinator', 'caseworker'),
  'GET /caseload/team': R('coordinator'),
  'POST /api/v1/people': R('coordinator', 'caseworker', 'police'),
  'GET /api/v1/people': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair'),
  'POST /api/v1/referrals': R('coordinator', 'caseworker', 'police'),
  'GET /api/v1/episodes/:id': R('coordinator', 'caseworker', 'police'),
  'GET /api/v1/incidents/:id': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
};

let t: TestApp;
beforeAll(async () => {
  // With single sign-on configured, so its routes are in the table too (the issuer is never contacted here).
  t = await testApp({ oidc: { issuer: 'https://login.example.invalid/tenant/v2.0', clientId: 'x', clientSecret: 'y', name: 'SSO' } });
});
afterAll(() => t.close());

const routes = () => t.app.routeTable.filter((r) => r.method !== 'HEAD');
const concrete = (url: string) =>
  url.replace('/assets/*', '/assets/reachable.css').replace(/:token/, 'x'.repeat(43)).replace(/:id|:[a-z]+Id/g, () => randomUUID());

describe('route declarations', () => {
  it('every live route declares its access and audit action', () => {
    expect(routes().length).toBeGreaterThan(40);
    for (const route of t.app.routeTable) {
      expect(route.access, `${route.method} ${route.url}`).toBeDefined();
      expect(route.audit, `${route.method} ${route.url}`).not.toBeUndefined();
      // The table holds what Fastify serves.
      expect(t.app.hasRoute({ method: route.method as 'GET', url: route.url }), `${route.method} ${route.url}`).toBe(true);
    }
  });

  it('refuses to start with a route that lacks them', async () => {
    const fresh = await testApp({}, t.database);
    expect(() => fresh.app.get('/undeclared', async () => 'hello')).toThrow(/must be declared/);
    await fresh.app.close();
  });

  it('every route has a row in the expected-access table, and every row a route', () => {
    const live = routes().map((r) => `${r.method} ${r.url}`);
    expect(live.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('routes that write personal data name an audit action', () => {
    for (const route of routes()) {
      if (route.method === 'POST' && route.url.startsWith('/incidents')) expect(route.audit, route.url).toBeTruthy();
    }
  });
});

// One test per route (a slow machine never times out a walk of the whole table).
const ROUTE_KEYS = Object.keys(EXPECTED).filter((key) => !key.startsWith('HEAD '));
const signedRoutes = ROUTE_KEYS.filter((key) => Array.isArray(EXPECTED[key]));
const route = (key: string) => {
  const [method, url] = key.split(' ');
  const found = t.app.routeTable.find((r) => r.method === method && r.url === url);
  if (!found) throw new Error(`${key} is expected but not served`);
  return found;
};

describe('every role against every route', () => {
  let users: Record<Role, { id: string }>;
  let credentials: Record<Role, string>;
  beforeAll(async () => {
    const agency = await makeAgency(t.db, { kind: 'council' });
    users = Object.fromEntries(await Promise.all(ALL.map(async (role) => [role, await makeUser(t.db, agency.id, [role])] as const))) as unknown as Record<Role, { id: string }>;
    credentials = Object.fromEntries(
      await Promise.all(ALL.map(async (role) => [role, (await createApiClient(t.db, { agencyId: agency.id, name: role, role, createdBy: null })).secret] as const)),
    ) as unknown as Record<Role, string>;
  });

  it.each(signedRoutes)('%s allows exactly the roles in the table', async (key) => {
    const r = route(key);
    const expected = EXPECTED[key] as Role[];
    const failures: string[] = [];
    for (const role of ALL) {
      const url = concrete(r.url);
      let status: number;
      let location: string | undefined;
      if (r.api) {
        const res = await t.app.inject({ method: r.method as 'GET', url, headers: { authorization: `Bearer ${credentials[role]}` }, ...(r.method === 'POST' ? { payload: {} } : {}) });
        status = res.statusCode;
      } else {
        const client = await signedIn(t, users[role]);
        const res = r.method === 'GET' ? await client.get(url) : await client.post(url, {});
        status = res.statusCode;
        location = res.headers.location as string | undefined;
      }
      const allowed = status !== 403 && status !== 401 && location !== '/sign-in';
      if (allowed !== expected.includes(role)) failures.push(`${key} as ${role}: ${status}${location ? ` -> ${location}` : ''}`);
    }
    expect(failures).toEqual([]);
  });

  it.each(ROUTE_KEYS.filter((key) => EXPECTED[key] !== 'public'))('%s sends people who are not signed in to sign in (API callers without a credential get 401)', async (key) => {
    const r = route(key);
    const client = new Client(t.app);
    const url = concrete(r.url);
    if (r.api) {
      const res = await t.app.inject({ method: r.method as 'GET', url, ...(r.method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode).toBe(401);
      const bad = await t.app.inject({ method: r.method as 'GET', url, headers: { authorization: 'Bearer rk_not-a-real-credential-at-all' }, ...(r.method === 'POST' ? { payload: {} } : {}) });
      expect(bad.statusCode).toBe(401);
    } else {
      const res = r.method === 'GET' ? await client.get(url) : await client.post(url, {});
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
  });
});

describe('every form post needs its CSRF token', () => {
  let everyone: { id: string };
  beforeAll(async () => {
    everyone = await makeUser(t.db, (await makeAgency(t.db, { kind: 'council' })).id, ALL);
  });

  // A signed-in user with every role posts without the token: refused before anything is read or written.
  it.each(ROUTE_KEYS.filter((key) => key.startsWith('POST ') && !key.includes(' /api/')))('%s refuses a post without the token and writes nothing', async (key) => {
    const r = route(key);
    const client = await signedIn(t, everyone);
    const before = await auditCount(t.db);
    const res = await client.post(concrete(r.url), { name: 'x', email: 'x@example.gov.uk', password: 'orange kettle harbour' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('The form you sent has expired');
    expect(await auditCount(t.db)).toBe(before);
  });
});

describe("other agencies' records", () => {
  const normalise = (body: string) => body.replace(/nonce="[^"]+"/g, 'nonce=""').replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""');

  it('answer 404 exactly like a missing record, on pages and in the API', async () => {
    const police = await makeAgency(t.db, { kind: 'police' });
    const school = await makeAgency(t.db, { kind: 'school' });
    const officer = await makeUser(t.db, police.id, ['police']);
    const outsider = await makeUser(t.db, school.id, ['coordinator']);
    const client = await signedIn(t, officer);
    const created = await client.post('/incidents', incidentForm({ sourceAgencyId: police.id }));
    expect(created.statusCode).toBe(303);
    const incidentUrl = created.headers.location as string;

    const other = await signedIn(t, outsider);
    for (const suffix of ['', '/edit', '/people/new']) {
      const hidden = await other.get(incidentUrl + suffix);
      const missing = await other.get(`/incidents/${randomUUID()}${suffix}`);
      expect(hidden.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      expect(normalise(hidden.body)).toBe(normalise(missing.body));
    }
    const hiddenPost = await other.post(`${incidentUrl}`, incidentForm({ sourceAgencyId: school.id }));
    const missingPost = await other.post(`/incidents/${randomUUID()}`, incidentForm({ sourceAgencyId: school.id }));
    expect(hiddenPost.statusCode).toBe(404);
    expect(normalise(hiddenPost.body)).toBe(normalise(missingPost.body));

    const { secret } = await createApiClient(t.db, { agencyId: school.id, name: 'school system', role: 'coordinator', createdBy: null });
    const id = incidentUrl.split('/').pop();
    const api = (target: string) => t.app.inject({ method: 'GET', url: `/api/v1/incidents/${target}`, headers: { authorization: `Bearer ${secret}` } });
    const [hiddenApi, missingApi] = await Promise.all([api(id!), api(randomUUID())]);
    expect(hiddenApi.statusCode).toBe(404);
    expect(hiddenApi.body).toBe(missingApi.body);
  });
});
