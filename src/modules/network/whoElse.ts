// "Who else may be at risk" (seed 003: "professional curiosity – to look at
// wider network and map any other young people known/identified/associated"):
// everyone within one or two links of a person or of an incident's people,
// each with the path that connects them in words, their age, and who is
// already working with them.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { ageAt, londonToday } from '../../platform/time.ts';
import { involvementFlags, type InvolvementFlag } from '../people/queries.ts';
import type { Namer } from '../people/naming.ts';
import { linksFrom, type Edge, type WalkOptions } from './links.ts';
import { anyOf } from '../../db/anyOf.ts';

type Db = Kysely<DB> | Transaction<DB>;

export interface Contact {
  id: string;
  name: string;
  age: number | null;
  under18: boolean;
  depth: 1 | 2;
  /** The path in words: "Jay Smith: both suspects in incident 2026-0412". */
  path: string;
  via: string | null;
  work: InvolvementFlag[];
}

interface Step {
  from: string;
  edge: Edge;
}

/** The words for one link seen from `from`, so exploitation reads the right way round. */
function says(edge: Edge, from: string): string {
  if (!edge.directed) return edge.label;
  return edge.a === from ? 'exploits them' : 'exploited by them';
}

/** Each person reached, by the most recent link to them. */
function reach(edges: Edge[], from: ReadonlySet<string>, exclude: ReadonlySet<string>): Map<string, Step> {
  const reached = new Map<string, Step>();
  for (const edge of edges) {
    for (const [here, there] of [[edge.a, edge.b], [edge.b, edge.a]]) {
      if (!from.has(here) || exclude.has(there)) continue;
      const known = reached.get(there);
      if (!known || edge.on > known.edge.on) reached.set(there, { from: here, edge });
    }
  }
  return reached;
}

export async function whoElse(db: Db, actor: RequestActor, name: Namer, seeds: string[], depth: 1 | 2, options: WalkOptions) {
  const seedSet = new Set(seeds);
  const first = reach(await linksFrom(db, actor, seeds, options), seedSet, seedSet);
  const second = depth === 2 ? reach(await linksFrom(db, actor, [...first.keys()], options), new Set(first.keys()), new Set([...seeds, ...first.keys()])) : new Map<string, Step>();
  const ids = [...seeds, ...first.keys(), ...second.keys()];
  const people = ids.length ? await db.selectFrom('person').select(['id', 'given_name', 'family_name', 'date_of_birth']).where('id', '=', anyOf(ids)).execute() : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  const nameOf = (id: string) => name(byId.get(id)!);
  const contactIds = [...first.keys(), ...second.keys()];
  const flags = await involvementFlags(db, contactIds);
  const today = londonToday();
  const contact = (id: string, depth: 1 | 2, path: string, via: string | null): Contact => {
    const age = ageAt(byId.get(id)!.date_of_birth, today);
    return { id, name: nameOf(id), age, under18: age !== null && age < 18, depth, path, via, work: flags.filter((f) => f.person_id === id) };
  };
  const contacts: Contact[] = [];
  for (const [id, step] of first) contacts.push(contact(id, 1, `${nameOf(step.from)}: ${says(step.edge, step.from)}`, null));
  for (const [id, step] of second) {
    const before = first.get(step.from)!;
    contacts.push(contact(id, 2, `linked through ${nameOf(step.from)}: ${says(step.edge, step.from)}; ${nameOf(step.from)} and ${nameOf(before.from)}: ${says(before.edge, before.from)}`, step.from));
  }
  contacts.sort((a, b) => a.depth - b.depth || Number(b.under18) - Number(a.under18) || a.name.localeCompare(b.name));
  return { seeds: seeds.map((id) => ({ id, name: nameOf(id) })), contacts };
}
