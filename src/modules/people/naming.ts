// How a person is named to the reader: by name for roles that work with named
// children; otherwise by a pseudonym (DESIGN.md: analysts see pseudonymised
// people) that stays the same through the reader's session of work, so a
// network can be followed, and changes with the next session, so pseudonyms
// cannot be collected into a lookup table over time.
import type { FastifyRequest } from 'fastify';
import { can } from '../../platform/permissions.ts';
import { getSetting } from '../../platform/settings.ts';
import { pseudonym, pseudonymousId } from './rules.ts';

export interface Nameable {
  id: string;
  given_name: string;
  family_name: string;
}

export type Namer = ((p: Nameable) => string) & { identifies: boolean };

/** The reader's pseudonym key: the partnership's secret and this session (or API credential). */
async function readerKey(req: FastifyRequest): Promise<string> {
  return `${(await getSetting<string>(req.server.db, 'pseudonym_key')) ?? ''}:${req.sessionUser?.tokenHash ?? req.actor!.apiClientId ?? ''}`;
}

export async function personNamer(req: FastifyRequest): Promise<Namer> {
  const identifies = can(req.actor!.roles, 'person.identify');
  const key = identifies ? '' : await readerKey(req);
  return Object.assign((p: Nameable) => (identifies ? `${p.given_name} ${p.family_name}` : pseudonym(p.id, key)), { identifies });
}

/**
 * How a person's id leaves through the API: the real id for roles that may
 * identify people, otherwise a pseudonymous id stable for that credential
 * only, so a partner system without person.identify can tell the people in
 * its answers apart but never learn, or send back, a real id.
 */
export async function personIdFor(req: FastifyRequest): Promise<(personId: string) => string> {
  if (can(req.actor!.roles, 'person.identify')) return (id) => id;
  const key = await readerKey(req);
  return (id) => pseudonymousId(id, key);
}
