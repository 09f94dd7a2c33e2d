// Maps, drawn in the browser from the figures the page already holds in its
// tables (embedded once as JSON, never fetched). No tile server unless the
// partnership configures one: boundaries and cells on a plain
// background, so no request leaves the machine. Without JavaScript the table
// beside the map holds the same figures.
import L from 'leaflet';
import { eachFigure } from './figures.ts';

interface MapData {
  areas: GeoJSON.FeatureCollection;
  cells: { corners: [number, number][]; colour: string; label: string }[];
  image?: { url: string; bounds: [[number, number], [number, number]]; label: string };
  legend: { colour: string; text: string }[];
  tiles?: { url: string; attribution: string };
}

function draw(figure: HTMLElement, data: MapData): void {
  const canvas = figure.querySelector<HTMLElement>('.reachable-map__canvas')!;
  figure.hidden = false;
  const map = L.map(canvas, { preferCanvas: true, attributionControl: Boolean(data.tiles) });
  if (data.tiles) L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 19 }).addTo(map);
  // An area (a borough, an LSOA) with a colour is a choropleth; without one, an outline.
  const outlines = L.geoJSON(data.areas, {
    style: (f) => (f?.properties?.colour ? { color: '#0b0c0c', weight: 1, fillColor: f.properties.colour, fillOpacity: 0.8 } : { color: '#0b0c0c', weight: 1.5, fill: false }),
    onEachFeature: (f, layer) => layer.bindTooltip(String(f.properties?.name ?? '')),
  });
  // The view first: the canvas renderer draws each layer as it is added, and needs to know where it is looking.
  map.fitBounds(outlines.getBounds());
  outlines.addTo(map);
  if (data.image) L.imageOverlay(data.image.url, data.image.bounds, { opacity: 0.75, alt: data.image.label }).addTo(map);
  for (const cell of data.cells) L.polygon(cell.corners, { color: cell.colour, weight: 0.5, fillColor: cell.colour, fillOpacity: 0.7 }).bindTooltip(cell.label).addTo(map);
  const key = figure.querySelector('.reachable-map__key');
  if (key)
    for (const entry of data.legend) {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'reachable-legend__swatch reachable-legend__swatch--cell';
      swatch.style.backgroundColor = entry.colour;
      swatch.setAttribute('aria-hidden', 'true');
      item.append(swatch, document.createTextNode(entry.text));
      key.append(item);
    }
}

// The drawing map of a zone's form is zone-draw.ts's.
eachFigure<MapData>('.reachable-map:not([data-zone-draw])', 'map', draw);
