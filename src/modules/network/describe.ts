// A link in words, seen from one end: "Exploited by Jay Smith", "Member of
// Hoe Street Boys", "Frequents Walthamstow Central station". Withheld
// intelligence says only that a link exists.
import { GROUP_PLACE_TYPES, GROUP_RELATIONS, PERSON_LINK_TYPES, PERSON_PLACE_TYPES } from './rules.ts';
import type { LinkRow } from './queries.ts';

type Named = (p: { id: string; given_name: string; family_name: string }) => string;
const word = (labels: Record<string, string>, code: string) => labels[code] ?? code;

export function describeLink(l: LinkRow, from: { kind: 'person' | 'group'; id: string }, name: Named): string {
  const p1 = l.person_id ? name({ id: l.person_id, given_name: l.p1_given!, family_name: l.p1_family! }) : '';
  const p2 = l.other_person_id ? name({ id: l.other_person_id, given_name: l.p2_given!, family_name: l.p2_family! }) : '';
  if (l.kind === 'person_person') {
    const outward = l.person_id === from.id;
    const other = outward ? p2 : p1;
    if (l.withheld) return `${other}: a link from police intelligence (detail withheld)`;
    if (l.link_type === 'exploitation') return outward ? `Exploits ${other}` : `Exploited by ${other}`;
    return `${word(PERSON_LINK_TYPES, l.link_type)}: ${other}`;
  }
  if (l.kind === 'membership') {
    if (from.kind === 'group') return l.withheld ? `${p1}: a link from police intelligence (detail withheld)` : `Member: ${p1}`;
    return l.withheld ? `${l.group_name}: a link from police intelligence (detail withheld)` : `Member of ${l.group_name}`;
  }
  if (l.kind === 'person_place') return l.withheld ? `${l.place_name}: a link from police intelligence (detail withheld)` : `${word(PERSON_PLACE_TYPES, l.link_type)} ${l.place_name}`;
  if (l.kind === 'group_place') return l.withheld ? `${l.place_name}: a link from police intelligence (detail withheld)` : `${word(GROUP_PLACE_TYPES, l.link_type)} ${l.place_name}`;
  const other = l.group_id === from.id ? l.other_group_name : l.group_name;
  return l.withheld ? `${other}: a link from police intelligence (detail withheld)` : `${word(GROUP_RELATIONS, l.link_type)} with ${other}`;
}
