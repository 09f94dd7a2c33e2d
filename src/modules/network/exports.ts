// A network as files an analyst can take elsewhere: a link table laid out
// for i2 Analyst's Notebook's tabular import (both ends of each link in one
// row, and a row for anyone with no link), the people with their measures,
// and GraphML. People carry the same name or pseudonym as on the page: a
// pseudonymised reader's export holds no identifier that leads back.
import { toCsv, type Csv } from '../../platform/csv.ts';
import type { Network } from './picture.ts';

/** Each person's identity in a file: their id for readers who see names, otherwise their pseudonym. */
const keys = (n: Network, identifies: boolean) => new Map(n.nodes.map((p) => [p.id, identifies ? p.id : p.name]));

export function i2Csv(n: Network, identifies: boolean): Csv {
  const key = keys(n, identifies);
  const byId = new Map(n.nodes.map((p) => [p.id, p]));
  const entity = (id: string) => {
    const p = byId.get(id)!;
    return [key.get(id)!, 'Person', p.name, p.under18 ? 'yes' : 'no'];
  };
  const linked = new Set(n.links.flatMap((l) => [l.a, l.b]));
  const rows = [
    ...n.links.map((l) => [...entity(l.a), ...entity(l.b), l.type, l.label, l.on, l.source.kind, l.directed ? 'yes' : 'no']),
    ...n.nodes.filter((p) => !linked.has(p.id)).map((p) => [...entity(p.id), '', '', '', '', '', '', '', '', '']),
  ];
  return toCsv(
    ['Entity 1 Identity', 'Entity 1 Type', 'Entity 1 Label', 'Entity 1 Under 18', 'Entity 2 Identity', 'Entity 2 Type', 'Entity 2 Label', 'Entity 2 Under 18', 'Link Type', 'Link Label', 'Link Date', 'Link Source', 'Directed'],
    rows,
  );
}

export function peopleCsv(n: Network, identifies: boolean): Csv {
  const key = keys(n, identifies);
  return toCsv(
    ['id', 'label', 'under_18', 'links_away', 'degree', 'betweenness', 'community'],
    n.nodes.map((p) => [key.get(p.id)!, p.name, p.under18 ? 'yes' : 'no', p.distance, p.degree, p.betweenness, p.community]),
  );
}

const xml = (s: string | number) => String(s).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

export function graphml(n: Network, identifies: boolean): string {
  const key = keys(n, identifies);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    '  <key id="under18" for="node" attr.name="under_18" attr.type="boolean"/>',
    '  <key id="degree" for="node" attr.name="degree" attr.type="int"/>',
    '  <key id="betweenness" for="node" attr.name="betweenness" attr.type="double"/>',
    '  <key id="community" for="node" attr.name="community" attr.type="int"/>',
    '  <key id="type" for="edge" attr.name="type" attr.type="string"/>',
    '  <key id="words" for="edge" attr.name="label" attr.type="string"/>',
    '  <key id="date" for="edge" attr.name="date" attr.type="string"/>',
    '  <graph id="network" edgedefault="undirected">',
  ];
  for (const p of n.nodes)
    out.push(`    <node id="${xml(key.get(p.id)!)}"><data key="label">${xml(p.name)}</data><data key="under18">${p.under18}</data><data key="degree">${p.degree}</data><data key="betweenness">${p.betweenness}</data><data key="community">${p.community}</data></node>`);
  n.links.forEach((l, i) =>
    out.push(`    <edge id="e${i}" source="${xml(key.get(l.a)!)}" target="${xml(key.get(l.b)!)}"${l.directed ? ' directed="true"' : ''}><data key="type">${xml(l.type)}</data><data key="words">${xml(l.label)}</data><data key="date">${l.on}</data></edge>`),
  );
  out.push('  </graph>', '</graphml>');
  return out.join('\n') + '\n';
}
