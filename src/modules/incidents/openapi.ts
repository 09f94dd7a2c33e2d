// The API's OpenAPI 3 description, served at /api/openapi.json.
import type { FastifyInstance } from 'fastify';
import { declareRoute } from '../../platform/routes.ts';
import { INVOLVEMENT_ROLE_CODES, WEAPON_CODES } from './rules.ts';
import { PERSON_PROPERTIES, caseworkPaths, caseworkSchemas } from '../people/openapi.ts';
import { orderPaths, orderSchemas } from '../orders/openapi.ts';
import { missingPaths, missingSchemas } from '../exploitation/openapi.ts';

const errorResponse = { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

export function openApiDocument(typeCodes: string[]) {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Reachable API',
      version: '1.0.0',
      description:
        'For partner systems of a community safety partnership. Authenticate with an API client credential issued by a Reachable administrator: `Authorization: Bearer <credential>`. Each credential acts for one agency with one role. Times are ISO 8601 with a time zone.',
    },
    servers: [{ url: '/' }],
    security: [{ apiClient: [] }],
    paths: {
      '/api/v1/incidents': {
        post: {
          summary: 'Record a serious violence incident',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 100 }, description: 'Retrying with the same key returns the first incident instead of recording another.' }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewIncident' } } } },
          responses: {
            '201': { description: 'Recorded', content: { 'application/json': { schema: { $ref: '#/components/schemas/Incident' } } } },
            '200': { description: 'Already recorded with this Idempotency-Key', content: { 'application/json': { schema: { $ref: '#/components/schemas/Incident' } } } },
            '400': { ...errorResponse, description: 'Invalid: nothing was recorded; `errors` names each field' },
            '401': { ...errorResponse, description: 'No valid credential' },
            '403': { ...errorResponse, description: 'The credential’s role may not record incidents' },
          },
        },
      },
      '/api/v1/incidents/{id}': {
        get: {
          summary: 'Read an incident recorded by or shared with your agency',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '200': { description: 'The incident', content: { 'application/json': { schema: { $ref: '#/components/schemas/Incident' } } } },
            '401': { ...errorResponse, description: 'No valid credential' },
            '404': { ...errorResponse, description: 'No such incident, or not shared with your agency (the two are not told apart)' },
          },
        },
      },
      ...referralPaths(),
      ...caseworkPaths(),
      ...orderPaths(),
      ...missingPaths(),
    },
    components: {
      securitySchemes: { apiClient: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' }, errors: { type: 'object', additionalProperties: { type: 'string' } }, correlationId: { type: 'string' } } },
        Place: {
          type: 'object',
          required: ['description'],
          properties: { description: { type: 'string', maxLength: 300 }, latitude: { type: 'number', minimum: 49.8, maximum: 60.9 }, longitude: { type: 'number', minimum: -8.7, maximum: 1.8 } },
        },
        NewPerson: {
          type: 'object',
          required: ['role'],
          description: 'Either `personId` of a person your agency can see, or a new person’s details (checked for duplicates first: possible matches answer 409 unless `confirmNew` is true).',
          properties: {
            role: { type: 'string', enum: INVOLVEMENT_ROLE_CODES },
            personId: { type: 'string', format: 'uuid' },
            ...PERSON_PROPERTIES,
          },
        },
        NewIncident: {
          type: 'object',
          required: ['occurredAt', 'notifiedAt', 'type', 'weapon', 'place'],
          properties: {
            occurredAt: { type: 'string', format: 'date-time' },
            notifiedAt: { type: 'string', format: 'date-time', description: 'When the partnership learned of it: the 24 and 48 hour clocks start here.' },
            type: { type: 'string', enum: typeCodes },
            weapon: { type: 'string', enum: WEAPON_CODES },
            place: { $ref: '#/components/schemas/Place' },
            sourceAgencyId: { type: 'string', format: 'uuid', description: 'Defaults to the credential’s agency' },
            sourceReference: { type: 'string', maxLength: 60 },
            narrative: { type: 'string', maxLength: 10000 },
            domesticAbuse: { type: 'boolean', default: false, description: 'Domestic abuse: knife crime is counted with and without it' },
            shareWith: { type: 'array', items: { type: 'string', format: 'uuid' } },
            people: { type: 'array', maxItems: 50, items: { $ref: '#/components/schemas/NewPerson' } },
          },
        },
        ...referralSchemas(typeCodes),
        ...caseworkSchemas(),
        ...orderSchemas(),
        ...missingSchemas(),
        Incident: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            reference: { type: 'string' },
            occurredAt: { type: 'string', format: 'date-time' },
            notifiedAt: { type: 'string', format: 'date-time' },
            type: { type: 'string' },
            weapon: { type: 'string' },
            place: { type: 'object' },
            sourceAgencyId: { type: 'string', format: 'uuid' },
            sourceReference: { type: 'string', nullable: true },
            narrative: { type: 'string', nullable: true, description: 'Only for roles allowed to read it' },
            people: { type: 'array', items: { type: 'object', properties: { personId: { type: 'string', description: 'The person’s Reachable id for credentials whose role may identify people; otherwise a pseudonymous id (`pseudonym-…`), stable for this credential only, that no endpoint accepts' } } } },
            version: { type: 'integer' },
          },
        },
      },
    },
  };
}

/** POST /api/v1/custody-notifications and /api/v1/hospital-referrals: one shape, two kinds. */
function referralPaths() {
  const post = (summary: string, schema: string, who: string) => ({
    post: {
      summary,
      description: `${who} Records the incident and the person (or links a known one) and opens the young person’s urgent response, or links it to the one already open.`,
      parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 90 }, description: 'Retrying with the same key has one effect and returns the first answer.' }],
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } },
      responses: {
        '201': { description: 'Recorded', content: { 'application/json': { schema: { $ref: '#/components/schemas/ReferralReceipt' } } } },
        '200': { description: 'Already recorded with this Idempotency-Key', content: { 'application/json': { schema: { $ref: '#/components/schemas/ReferralReceipt' } } } },
        '400': { ...errorResponse, description: 'Invalid: nothing was recorded; `errors` names each field' },
        '401': { ...errorResponse, description: 'No valid credential' },
        '403': { ...errorResponse, description: 'The credential’s role may not send these' },
      },
    },
  });
  return {
    '/api/v1/custody-notifications': post('A young person booked into police custody', 'CustodyNotification', 'For police custody systems (Operation Harbinger: MASH must know within 1 hour of booking-in).'),
    '/api/v1/hospital-referrals': post('An A&E attendance with a violence injury', 'HospitalReferral', 'For hospital systems and A&E navigators.'),
  };
}

function referralSchemas(typeCodes: string[]) {
  const person = { $ref: '#/components/schemas/ReferralPerson' };
  const common = {
    person,
    personId: { type: 'string', format: 'uuid', description: 'Instead of `person`: a person your agency can see' },
    occurredAt: { type: 'string', format: 'date-time', description: 'When the incident happened; defaults to the booking-in or arrival time' },
    type: { type: 'string', enum: typeCodes },
    weapon: { type: 'string', enum: WEAPON_CODES, default: 'not_known' },
    place: { $ref: '#/components/schemas/Place' },
    reference: { type: 'string', maxLength: 60, description: 'Your system’s reference' },
    narrative: { type: 'string', maxLength: 9000 },
  };
  return {
    ReferralPerson: {
      type: 'object',
      required: ['givenName', 'familyName', 'sex', 'ethnicity'],
      properties: PERSON_PROPERTIES,
    },
    CustodyNotification: {
      type: 'object',
      required: ['bookedInAt', 'custodySuite', 'offence'],
      properties: {
        ...common,
        bookedInAt: { type: 'string', format: 'date-time', description: 'Starts the 1-hour custody clock' },
        custodySuite: { type: 'string', maxLength: 200 },
        offence: { type: 'string', maxLength: 500 },
        mashNotifiedAt: { type: 'string', format: 'date-time', description: 'When MASH was told, if it has been' },
      },
    },
    HospitalReferral: {
      type: 'object',
      required: ['arrivedAt', 'hospital', 'injury'],
      properties: { ...common, arrivedAt: { type: 'string', format: 'date-time' }, hospital: { type: 'string', maxLength: 200 }, injury: { type: 'string', maxLength: 500 } },
    },
    ReferralReceipt: {
      type: 'object',
      properties: {
        incident: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, reference: { type: 'string' } } },
        personId: { type: 'string', format: 'uuid' },
        urgentResponse: { type: 'object', nullable: true, properties: { id: { type: 'string', format: 'uuid' }, reference: { type: 'string' }, status: { type: 'string' } } },
        message: { type: 'string' },
      },
    },
  };
}

export function registerOpenApi(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/api/openapi.json',
    access: 'public',
    audit: null,
    sessionless: true,
    handler: async (_req, reply) => {
      const types = await app.db.selectFrom('incident_type').select('code').where('active', '=', true).orderBy('sort').execute();
      return reply.send(openApiDocument(types.map((t) => t.code)));
    },
  });
}
