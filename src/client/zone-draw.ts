// Drawing a zone on the map (issue 19): each click on the map adds a point of
// the boundary to the "points" box beside it, and the shape is drawn as it
// grows; typing or pasting points in the box redraws it. The box is what is
// sent, so the form works the same without JavaScript and for anyone who
// cannot use a map: the map only fills it in.
import L from 'leaflet';
import { eachFigure } from './figures.ts';

interface DrawData {
  areas: GeoJSON.FeatureCollection;
  places: { name: string; latitude: number; longitude: number }[];
  tiles?: { url: string; attribution: string };
}

const POINT = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/;

function pointsIn(text: string): [number, number][] {
  return text
    .split(/[\n;]+/)
    .map((line) => POINT.exec(line))
    .filter((m): m is RegExpExecArray => Boolean(m))
    .map((m) => [Number(m[1]), Number(m[2])]);
}

function setUp(figure: HTMLElement, data: DrawData): void {
  const box = document.getElementById(figure.dataset.for ?? '') as HTMLTextAreaElement | null;
  if (!box) return;
  figure.hidden = false;
  const map = L.map(figure.querySelector<HTMLElement>('.reachable-map__canvas')!, { attributionControl: Boolean(data.tiles) });
  if (data.tiles) L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 19 }).addTo(map);
  const outlines = L.geoJSON(data.areas, { style: { color: '#0b0c0c', weight: 1.5, fill: false }, onEachFeature: (f, layer) => layer.bindTooltip(String(f.properties?.name ?? '')) });
  map.fitBounds(outlines.getBounds());
  outlines.addTo(map);
  for (const p of data.places) L.circleMarker([p.latitude, p.longitude], { radius: 5, color: '#1d70b8', weight: 2, fillOpacity: 0.8 }).bindTooltip(p.name).addTo(map);
  const shape = L.polygon([], { color: '#d4351c', weight: 2, fillOpacity: 0.2 }).addTo(map);
  const redraw = () => {
    const points = pointsIn(box.value);
    shape.setLatLngs(points);
    if (points.length >= 3) map.fitBounds(shape.getBounds(), { maxZoom: 17, padding: [20, 20] });
  };
  const write = (points: [number, number][]) => {
    box.value = points.map(([lat, lng]) => `${lat.toFixed(5)}, ${lng.toFixed(5)}`).join('\n');
    shape.setLatLngs(points);
    // Drawn on the map: the zone is described by its points.
    const polygon = document.querySelector<HTMLInputElement>('input[name="zoneShape"][value="polygon"]');
    if (polygon) polygon.checked = true;
  };
  map.on('click', (e: L.LeafletMouseEvent) => write([...pointsIn(box.value), [e.latlng.lat, e.latlng.lng]]));
  box.addEventListener('input', redraw);
  figure.querySelector('[data-zone-undo]')?.addEventListener('click', () => write(pointsIn(box.value).slice(0, -1)));
  figure.querySelector('[data-zone-clear]')?.addEventListener('click', () => write([]));
  redraw();
}

// Without the map the points box still works.
eachFigure<DrawData>('[data-zone-draw]', 'zone map', setUp);
