// The casework API's part of the OpenAPI document: people, referrals, episodes.
import { ETHNICITY_CODES, SEX_CODES } from './rules.ts';
import { CONSENT_BY, LAWFUL_BASES } from '../urgent-response/consent.ts';

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const error = (description: string) => ({ description, content: json('Error') });
const duplicateNote = 'A new person is checked against everyone in Reachable first: possible matches answer 409 with each match’s score and reasons, and nothing is recorded. Send the match’s `personId` instead, or send again with `confirmNew: true`.';

/** A new person's fields, the same in every API that can create one (the forms' readPerson), with the duplicate check's way on. */
export const PERSON_PROPERTIES = {
  givenName: { type: 'string', maxLength: 100 },
  familyName: { type: 'string', maxLength: 100 },
  dateOfBirth: { type: 'string', format: 'date' },
  sex: { type: 'string', enum: SEX_CODES },
  ethnicity: { type: 'string', enum: ETHNICITY_CODES, description: 'ONS 2021 Census categories' },
  address: { type: 'string', maxLength: 300 },
  postcode: { type: 'string', maxLength: 10 },
  confirmNew: { type: 'boolean', description: 'Record a new person even though possible matches exist (otherwise 409 with the matches)' },
};

export function caseworkPaths() {
  return {
    '/api/v1/people': {
      post: {
        summary: 'Record a person, after the duplicate check',
        description: duplicateNote,
        requestBody: { required: true, content: json('NewCaseworkPerson') },
        responses: {
          '201': { description: 'Recorded', content: { 'application/json': { schema: { type: 'object', properties: { personId: { type: 'string', format: 'uuid' } } } } } },
          '400': error('Invalid (for example an NHS number whose check digit is wrong, or a date of birth in the future): nothing was recorded; `errors` names each field'),
          '409': { description: 'Possible duplicates: nothing was recorded', content: json('PossibleDuplicates') },
          '401': error('No valid credential'),
          '403': error('The credential’s role may not record people'),
        },
      },
      get: {
        summary: 'Find people by name (however spelt, either order) and date of birth',
        description: 'Each match comes with its score and the reasons for it. Every match returned is recorded in the audit log as a read of that person. The query string is never written to Reachable’s logs.',
        parameters: [
          { name: 'name', in: 'query', required: false, schema: { type: 'string', maxLength: 100 } },
          { name: 'dateOfBirth', in: 'query', required: false, schema: { type: 'string', format: 'date' } },
        ],
        responses: {
          '200': { description: 'Matches, best first', content: { 'application/json': { schema: { type: 'object', properties: { matches: { type: 'array', items: { $ref: '#/components/schemas/Match' } } } } } } },
          '400': error('Neither a name nor a date of birth, or a date that is not real'),
          '401': error('No valid credential'),
        },
      },
    },
    '/api/v1/referrals': {
      post: {
        summary: 'Refer a young person to a service',
        description: 'Needs recorded consent or a recorded lawful basis for sharing without it, and a service that takes young people of the person’s age. The receiving agency answers within the partnership’s working-day response time.',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 90 }, description: 'Retrying with the same key returns the first referral.' }],
        requestBody: { required: true, content: json('NewReferral') },
        responses: {
          '201': { description: 'Sent', content: json('Referral') },
          '200': { description: 'Already sent with this Idempotency-Key', content: json('Referral') },
          '400': error('Invalid: nothing was sent; `errors` names each field'),
          '401': error('No valid credential'),
          '403': error('The credential’s role may not send referrals'),
        },
      },
    },
    '/api/v1/episodes/{id}': {
      get: {
        summary: 'An episode of casework your agency runs or referred to, with the notes your agency may see',
        description: 'Notes marked “my agency only” are returned only to the author’s agency; restricted notes are never returned to a system.',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { '200': { description: 'The episode', content: json('Episode') }, '401': error('No valid credential'), '404': error('No such episode, or not one your agency may see (the two are not told apart)') },
      },
    },
  };
}

export function caseworkSchemas() {
  return {
    NewCaseworkPerson: {
      type: 'object',
      required: ['givenName', 'familyName', 'sex', 'ethnicity'],
      properties: {
        ...PERSON_PROPERTIES,
        nhsNumber: { type: 'string', description: '10 digits; the modulus 11 check digit is checked' },
        upn: { type: 'string', description: 'DfE unique pupil number; the check letter is checked' },
        pnc: { type: 'string', description: 'Police National Computer ID, like 2026/0123456X; the check letter is checked' },
      },
    },
    Match: {
      type: 'object',
      properties: {
        personId: { type: 'string', format: 'uuid' },
        givenName: { type: 'string' },
        familyName: { type: 'string' },
        dateOfBirth: { type: 'string', format: 'date', nullable: true },
        postcode: { type: 'string', nullable: true },
        score: { type: 'integer' },
        strength: { type: 'string', enum: ['strong', 'possible'] },
        reasons: { type: 'array', items: { type: 'string' } },
        agenciesWorkingWithThem: { type: 'array', items: { type: 'string' } },
      },
    },
    PossibleDuplicates: {
      type: 'object',
      properties: { error: { type: 'string', enum: ['possible_duplicates'] }, message: { type: 'string' }, candidates: { type: 'object', description: 'Matches for each new person, by where it sits in the request (`person`, `people[0]`)', additionalProperties: { type: 'array', items: { $ref: '#/components/schemas/Match' } } } },
    },
    NewReferral: {
      type: 'object',
      required: ['personId', 'serviceId', 'reason', 'sharingBasis'],
      properties: {
        personId: { type: 'string', format: 'uuid' },
        serviceId: { type: 'string', format: 'uuid' },
        urgentResponseId: { type: 'string', format: 'uuid', description: 'The urgent response the referral comes from, if any' },
        reason: { type: 'string', maxLength: 4000 },
        sharingBasis: { type: 'string', enum: ['consent', 'lawful_basis'] },
        consentBy: { type: 'string', enum: Object.keys(CONSENT_BY), description: 'With consent' },
        consentOn: { type: 'string', format: 'date', description: 'With consent: when it was given' },
        lawfulBasis: { type: 'string', enum: Object.keys(LAWFUL_BASES), description: 'Without consent' },
        basisReason: { type: 'string', maxLength: 2000, description: 'Without consent: why sharing is necessary and proportionate' },
      },
    },
    Referral: {
      type: 'object',
      properties: { id: { type: 'string', format: 'uuid' }, reference: { type: 'string' }, personId: { type: 'string', format: 'uuid' }, serviceId: { type: 'string', format: 'uuid' }, service: { type: 'string' }, provider: { type: 'string' }, status: { type: 'string' }, sharingBasis: { type: 'string' }, responseDueOn: { type: 'string', format: 'date' }, sentAt: { type: 'string', format: 'date-time' } },
    },
    Episode: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        personId: { type: 'string', format: 'uuid' },
        service: { type: 'string' },
        agency: { type: 'string' },
        leadWorker: { type: 'string' },
        startedOn: { type: 'string', format: 'date' },
        plannedEndOn: { type: 'string', format: 'date', nullable: true },
        reviewOn: { type: 'string', format: 'date' },
        closedOn: { type: 'string', format: 'date', nullable: true },
        outcome: { type: 'string', nullable: true },
        notes: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string' }, method: { type: 'string', nullable: true }, happenedAt: { type: 'string', format: 'date-time' }, visibility: { type: 'string', enum: ['all', 'agency'] }, author: { type: 'string' }, agency: { type: 'string' }, text: { type: 'string' } } } },
      },
    },
  };
}
