// The orders API in the OpenAPI document (issue 19): for police and court feeds.
import { ORDER_KINDS } from './kinds.ts';
import { CONDITION_KIND_CODES } from './conditions.ts';

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function orderPaths() {
  return {
    '/api/v1/orders': {
      post: {
        summary: 'Record an order against a person, with its conditions',
        description: 'For police and court systems. The reviews the law sets for the kind and the person’s age are worked out; the law’s limits (minimum age, longest term for a child, a gang injunction’s curfew hours) are checked. From the moment it is recorded, every incident and link recorded for the person is tested against its conditions.',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 100 }, description: 'Retrying with the same key returns the first order instead of recording another.' }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewOrder' } } } },
        responses: {
          '201': { description: 'Recorded', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
          '200': { description: 'Already recorded with this Idempotency-Key', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
          '400': error('Invalid, or the law does not allow it as sent: nothing was recorded; `errors` names each field'),
          '401': error('No valid credential'),
          '403': error('The credential’s role may not record orders'),
        },
      },
    },
    '/api/v1/people/{id}/orders': {
      get: {
        summary: 'A person’s orders, in force and past',
        description: 'Conditions and possible breaches only for credentials whose role enforces orders (police, council enforcement); for others, that an order exists and whom to contact.',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': { description: 'The orders', content: { 'application/json': { schema: { type: 'object', properties: { personId: { type: 'string' }, orders: { type: 'array', items: { $ref: '#/components/schemas/Order' } } } } } } },
          '401': error('No valid credential'),
          '404': error('No such person'),
        },
      },
    },
  };
}

export function orderSchemas() {
  const day = { type: 'string', format: 'date' };
  const hours = { type: 'array', items: { type: 'string', enum: ['1', '2', '3', '4', '5', '6', '7'] }, description: 'ISO weekdays, 1 Monday to 7 Sunday' };
  const time = { type: 'string', pattern: '^\\d{2}:\\d{2}$', description: 'London time, 24-hour; a span past midnight belongs to the day it starts' };
  return {
    NewOrder: {
      type: 'object',
      required: ['kindCode', 'personId', 'court', 'madeOn', 'inForceFrom', 'interim', 'leadOfficer'],
      properties: {
        kindCode: { type: 'string', description: `A kind of order: ${ORDER_KINDS.filter((k) => !k.placeBased).map((k) => k.code).join(', ')}, or one an administrator added` },
        personId: { type: 'string', format: 'uuid' },
        court: { type: 'string', maxLength: 200 },
        caseReference: { type: 'string', maxLength: 100 },
        madeOn: day,
        inForceFrom: day,
        until: { ...day, description: 'Its last day; leave out for until further order' },
        courtReviewOn: { ...day, description: 'A review hearing the court listed' },
        interim: { type: 'boolean' },
        applyingAgencyId: { type: 'string', format: 'uuid', description: 'Defaults to the credential’s agency' },
        leadOfficer: { type: 'object', required: ['name', 'contact'], properties: { name: { type: 'string', maxLength: 200 }, contact: { type: 'string', maxLength: 200 } } },
        conditions: { type: 'array', maxItems: 30, items: { $ref: '#/components/schemas/NewCondition' } },
      },
    },
    NewCondition: {
      type: 'object',
      required: ['kind', 'wording'],
      description: 'The fields for the kind given; the others are ignored.',
      properties: {
        kind: { type: 'string', enum: CONDITION_KIND_CODES },
        wording: { type: 'string', maxLength: 2000, description: 'As the order words it' },
        curfewAddress: { type: 'string' },
        curfewLatitude: { type: 'number' },
        curfewLongitude: { type: 'number' },
        curfewDays: hours,
        curfewFrom: time,
        curfewTo: time,
        electronicMonitoring: { type: 'boolean' },
        zoneLabel: { type: 'string' },
        zoneShape: { type: 'string', enum: ['polygon', 'circle', 'borough'] },
        zonePoints: { type: 'array', maxItems: 200, items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } }, description: '[latitude, longitude] pairs of the boundary' },
        zonePlaceId: { type: 'string', format: 'uuid' },
        zoneRadius: { type: 'number', minimum: 10, maximum: 5000 },
        zoneBorough: { type: 'string', description: 'ONS borough code, like E09000031' },
        zoneTimed: { type: 'string', enum: ['always', 'hours'] },
        zoneDays: hours,
        zoneFrom: time,
        zoneTo: time,
        personIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
        groupIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
        reportingWhere: { type: 'string' },
        reportingWhen: { type: 'string' },
        serviceId: { type: 'string', format: 'uuid' },
      },
    },
    Order: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        kind: { type: 'string' },
        title: { type: 'string' },
        court: { type: 'string' },
        madeOn: day,
        inForceFrom: day,
        until: { ...day, nullable: true },
        lastDay: { ...day, nullable: true, description: 'Its end date, or the day before it was ended early' },
        interim: { type: 'boolean' },
        applyingAgency: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
        leadOfficer: { type: 'object', properties: { name: { type: 'string' }, contact: { type: 'string' } } },
        conditions: { type: 'array', items: { type: 'object' }, description: 'Only for roles that enforce orders' },
        version: { type: 'integer' },
      },
    },
  };
}
