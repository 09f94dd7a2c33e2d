// One network for the picture, its table and its exports: the people within
// one or two links of a person, an incident's people or a group's current
// members, every link among them, and the measures of each person in it.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { ageAt, londonToday } from '../../platform/time.ts';
import { buildGraph, communities, degrees } from '../../analysis/graph.ts';
import { betweennessInParallel } from '../../analysis/betweennessParallel.ts';
import type { Namer } from '../people/naming.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { linksFrom, live, type Edge, type WalkOptions } from './links.ts';
import { WALK_TYPES } from './rules.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** A page of a few thousand people is the most a table and a picture can usefully hold. */
export const MAX_PEOPLE = 2_000;

export type Centre = { kind: 'person' | 'incident' | 'group'; id: string };

/** Each person's place in the picture: their part in what it is drawn around, or how far from it they are. */
export const PICTURE_ROLES = {
  victim: 'Victim in this incident',
  suspect: 'Suspect in this incident',
  both: 'Victim and suspect in this incident',
  other: 'Witness or another part in this incident',
  centre: 'At the centre',
  member: 'Member of this group',
  linked: '1 link away',
  far: '2 links away',
} as const;
export type PictureRole = keyof typeof PICTURE_ROLES;

export interface NetworkPerson {
  id: string;
  name: string;
  age: number | null;
  under18: boolean;
  /** 0 for the people the network is drawn around, then 1 or 2 links away. */
  distance: number;
  role: PictureRole;
  degree: number;
  betweenness: number;
  community: number;
}

/** The people a network is drawn around, each with their part in it; undefined when the reader may not see the centre. */
export async function seedsOf(db: Db, actor: RequestActor, centre: Centre): Promise<Map<string, PictureRole> | undefined> {
  if (centre.kind === 'person') {
    const person = await db.selectFrom('person').select('id').where('id', '=', centre.id).where('merged_into', 'is', null).executeTakeFirst();
    return person && new Map([[centre.id, 'centre']]);
  }
  if (centre.kind === 'incident') {
    const incident = await db.selectFrom('incident').select('id').where('id', '=', centre.id).where(incidentVisibleTo(actor.agencyId)).executeTakeFirst();
    if (!incident) return undefined;
    const rows = await db.selectFrom('involvement').select(['person_id', 'role']).where('incident_id', '=', centre.id).execute();
    const parts = new Map<string, Set<string>>();
    for (const { person_id, role } of rows) parts.set(person_id, (parts.get(person_id) ?? new Set()).add(role));
    const roles = new Map<string, PictureRole>();
    for (const [id, had] of parts) roles.set(id, had.has('victim') && had.has('suspect') ? 'both' : had.has('victim') ? 'victim' : had.has('suspect') ? 'suspect' : 'other');
    return roles;
  }
  if (!(await db.selectFrom('network_group').select('id').where('id', '=', centre.id).executeTakeFirst())) return undefined;
  const members = await db.selectFrom('association').select('person_id').distinct().where('kind', '=', 'membership').where('group_id', '=', centre.id).where(live(actor)).execute();
  return new Map(members.map((m) => [m.person_id!, 'member']));
}

export async function buildNetwork(db: Db, actor: RequestActor, name: Namer, centre: Map<string, PictureRole>, depth: 1 | 2, options: WalkOptions) {
  const seeds = [...centre.keys()];
  const distance = new Map(seeds.map((id) => [id, 0]));
  const edges = new Map<string, Edge>();
  // One link per record and pair: an incident read from either of its people gives the same link, worded from each side.
  const key = (e: Edge) => `${e.source.kind}:${e.source.id}:${[e.a, e.b].sort().join(':')}`;
  const keep = (list: Edge[]) => {
    for (const e of list) if (distance.has(e.a) && distance.has(e.b)) edges.has(key(e)) || edges.set(key(e), e);
  };
  let frontier = seeds;
  let truncated = false;
  for (let step = 1; step <= depth && frontier.length; step++) {
    const found = await linksFrom(db, actor, frontier, options);
    const next: string[] = [];
    for (const e of found)
      for (const id of [e.a, e.b])
        if (!distance.has(id)) {
          if (distance.size >= MAX_PEOPLE) truncated = true;
          else distance.set(id, step), next.push(id);
        }
    keep(found);
    frontier = next;
  }
  // The links among the outermost people too, so the picture shows who knows whom at its edge.
  if (frontier.length) keep(await linksFrom(db, actor, frontier, options));

  const ids = [...distance.keys()];
  const people = ids.length ? await db.selectFrom('person').select(['id', 'given_name', 'family_name', 'date_of_birth']).where('id', 'in', ids).execute() : [];
  const graph = buildGraph([...edges.values()].map((e) => [e.a, e.b] as const), ids);
  const degree = degrees(graph);
  const between = await betweennessInParallel(graph);
  const groups = communities(graph);
  const index = new Map(graph.ids.map((id, i) => [id, i]));
  const today = londonToday();
  const nodes: NetworkPerson[] = people.map((p) => {
    const i = index.get(p.id)!;
    const age = ageAt(p.date_of_birth, today);
    return { id: p.id, name: name(p), age, under18: age !== null && age < 18, distance: distance.get(p.id)!, role: centre.get(p.id) ?? (distance.get(p.id) === 1 ? 'linked' : 'far'), degree: degree[i], betweenness: between.values[i], community: groups.community[i] };
  });
  nodes.sort((a, b) => a.distance - b.distance || b.degree - a.degree || a.name.localeCompare(b.name));
  const nameOf = new Map(nodes.map((n) => [n.id, n.name]));
  const links = [...edges.values()].map((e) => ({ ...e, aName: nameOf.get(e.a)!, bName: nameOf.get(e.b)! })).sort((x, y) => y.on.localeCompare(x.on) || x.aName.localeCompare(y.aName));
  return { nodes, links, exact: between.exact, sources: between.sources, communities: groups.count, modularity: groups.modularity, truncated };
}

export type Network = Awaited<ReturnType<typeof buildNetwork>>;

/** What the browser needs to draw the picture: the same people and links as the tables, keyed by position (never a record id). */
export function pictureData(network: Network) {
  const key = new Map(network.nodes.map((n, i) => [n.id, `n${i}`]));
  return {
    nodes: network.nodes.map((n) => ({ key: key.get(n.id)!, label: n.name, role: n.role, centre: n.distance === 0, degree: n.degree })),
    links: network.links.map((l) => ({ a: key.get(l.a)!, b: key.get(l.b)!, type: l.type, label: l.directed ? `${l.aName} exploits ${l.bName}` : l.label, directed: l.directed })),
    roles: PICTURE_ROLES,
    types: { ...WALK_TYPES, withheld: 'Police intelligence (detail withheld)' },
  };
}
