// How a person is named to the reader: by name for roles that work with named
// children; otherwise by a pseudonym (DESIGN.md: analysts see pseudonymised
// people) that stays the same through the reader's session of work, so a
// network can be followed, and changes with the next session, so pseudonyms
// cannot be collected into a lookup table over time.
import type { FastifyRequest } from 'fastify';
import { can } from '../../platform/permissions.ts';
import { getSetting } from '../../platform/settings.ts';
import { pseudonym } from './rules.ts';

export interface Nameable {
  id: string;
  given_name: string;
  family_name: string;
}

export type Namer = ((p: Nameable) => string) & { identifies: boolean };

export async function personNamer(req: FastifyRequest): Promise<Namer> {
  const identifies = can(req.actor!.roles, 'person.identify');
  const key = identifies ? '' : `${(await getSetting<string>(req.server.db, 'pseudonym_key')) ?? ''}:${req.sessionUser?.tokenHash ?? req.actor!.apiClientId ?? ''}`;
  return Object.assign((p: Nameable) => (identifies ? `${p.given_name} ${p.family_name}` : pseudonym(p.id, key)), { identifies });
}
