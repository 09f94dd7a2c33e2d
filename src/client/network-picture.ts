// The network picture, drawn in the browser from the figures the page
// already holds in its tables (embedded once as JSON, never fetched, never
// stored). Without JavaScript or WebGL the tables are the whole page; with
// them, this adds a picture above the tables: a force layout (ForceAtlas 2)
// with link colour by kind of link, square for the people the network is drawn
// around, and node colour by their role.
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import Sigma from 'sigma';
import { NodeSquareProgram } from '@sigma/node-square';

interface PictureData {
  nodes: { key: string; label: string; role: string; centre: boolean; degree: number }[];
  links: { a: string; b: string; type: string; label: string; directed: boolean }[];
  roles: Record<string, string>;
  types: Record<string, string>;
}

// GOV.UK colour palette, chosen so neighbouring kinds differ in lightness as well as hue.
const ROLE_COLOURS: Record<string, string> = {
  victim: '#1d70b8',
  suspect: '#d4351c',
  both: '#912b88',
  other: '#f47738',
  centre: '#0b0c0c',
  member: '#00703c',
  linked: '#505a5f',
  far: '#b1b4b6',
};
const TYPE_COLOURS: Record<string, string> = {
  family: '#00703c',
  friend: '#1d70b8',
  associate: '#505a5f',
  co_offender: '#f47738',
  conflict: '#d4351c',
  exploitation: '#912b88',
  victim_suspect: '#942514',
  incident: '#0b0c0c',
  group: '#28a197',
  withheld: '#b1b4b6',
};

/** Positions start on a circle, not at random, so the same network is drawn the same way every time. */
function layOut(graph: Graph): void {
  const n = graph.order;
  let i = 0;
  graph.forEachNode((key) => {
    const angle = (2 * Math.PI * i++) / Math.max(n, 1);
    graph.mergeNodeAttributes(key, { x: Math.cos(angle) * 100, y: Math.sin(angle) * 100 });
  });
  if (graph.size) forceAtlas2.assign(graph, { iterations: n > 500 ? 100 : 300, settings: { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: n > 500 } });
}

function legend(title: string, entries: [string, string][], square = false): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'govuk-list reachable-legend';
  for (const [colour, text] of entries) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = square ? 'reachable-legend__swatch reachable-legend__swatch--square' : 'reachable-legend__swatch';
    swatch.style.backgroundColor = colour;
    swatch.setAttribute('aria-hidden', 'true');
    item.append(swatch, document.createTextNode(text));
    list.append(item);
  }
  const wrapper = document.createElement('div');
  wrapper.className = 'govuk-grid-column-one-half';
  const heading = document.createElement('h2');
  heading.className = 'govuk-heading-s';
  heading.textContent = title;
  wrapper.append(heading, list);
  return wrapper;
}

function draw(figure: HTMLElement, data: PictureData): void {
  const graph = new Graph({ multi: true, type: 'mixed' });
  for (const n of data.nodes)
    graph.addNode(n.key, { label: n.label, size: 5 + Math.min(10, Math.sqrt(n.degree) * 2), color: ROLE_COLOURS[n.role] ?? ROLE_COLOURS.linked, type: n.centre ? 'square' : 'circle' });
  for (const l of data.links) graph.addEdge(l.a, l.b, { label: l.label, color: TYPE_COLOURS[l.type] ?? TYPE_COLOURS.associate, size: 2, type: l.directed ? 'arrow' : 'line' });
  layOut(graph);

  const canvas = figure.querySelector<HTMLElement>('.reachable-network__canvas')!;
  figure.hidden = false;
  new Sigma(graph, canvas, { nodeProgramClasses: { square: NodeSquareProgram }, renderEdgeLabels: graph.size <= 60, labelRenderedSizeThreshold: 6 });

  const usedRoles = new Set(data.nodes.map((n) => n.role));
  const usedTypes = new Set(data.links.map((l) => l.type));
  const key = figure.querySelector('.reachable-network__key')!;
  key.append(
    legend('People', Object.entries(data.roles).filter(([role]) => usedRoles.has(role)).map(([role, text]) => [ROLE_COLOURS[role], text])),
    legend('Links', Object.entries(data.types).filter(([type]) => usedTypes.has(type)).map(([type, text]) => [TYPE_COLOURS[type], text]), true),
  );
}

const figure = document.querySelector<HTMLElement>('.reachable-network');
const source = document.getElementById('network-data');
if (figure && source?.textContent) {
  try {
    draw(figure, JSON.parse(source.textContent) as PictureData);
  } catch {
    // No WebGL (or an old browser): the tables below hold everything the picture would.
    figure.hidden = true;
  }
}
