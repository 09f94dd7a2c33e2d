// The weekly tasking list (issue 6, item 6; seed 000: "target resources on
// the specific places and times where we know risk of violence is
// greatest"): the busiest cells of the chosen period, each with its hot spot
// class, the day of the week and the two hours when most happened there, and
// the schools and named places nearby, for the coming week's patrols, Safer
// Routes youth workers and CCTV.
import { toCsv, type Csv } from '../../platform/csv.ts';
import type { PlaceEvent } from './events.ts';
import { cellName } from '../../analysis/grid.ts';
import { CLASSES, type HotSpotCell } from './analysis.ts';
import { DAYS, weekday } from './times.ts';

export const TASKING_CELLS = 10;
export const NEARBY_METRES = 400;
/** A cell is named after the nearest named place this close; further, by its grid square. */
export const NAMED_WITHIN_METRES = 1000;

export interface Task {
  rank: number;
  /** Where it is, in the words of the people who go there: "By Walthamstow Central station (120 m)". */
  where: string;
  cell: string;
  borough: string;
  events: number;
  hotSpot: string;
  peakDay: string;
  peakHours: string;
  schools: string[];
  places: string[];
}

interface NamedPlace {
  name: string;
  kind: string;
  easting: number | null;
  northing: number | null;
}

/** The two-hour window (wrapping midnight) with most of these hours. */
function peakHours(hours: number[]): string {
  if (!hours.length) return 'No times recorded';
  const count = new Array(24).fill(0);
  for (const h of hours) count[h]++;
  let best = 0;
  for (let h = 1; h < 24; h++) if (count[h] + count[(h + 1) % 24] > count[best] + count[(best + 1) % 24]) best = h;
  return `${String(best).padStart(2, '0')}:00 to ${String((best + 2) % 24).padStart(2, '0')}:00`;
}

function peakDay(days: string[]): string {
  if (!days.length) return 'No days recorded';
  const count = new Array(7).fill(0);
  for (const d of days) count[weekday(d)]++;
  return DAYS[count.indexOf(Math.max(...count))];
}

export function taskingList(cells: HotSpotCell[], events: PlaceEvent[], size: number, places: NamedPlace[], limit = TASKING_CELLS): Task[] {
  const top = [...cells].filter((c) => c.count > 0).sort((a, b) => b.count - a.count || b.z - a.z).slice(0, limit);
  return top.map((c, i) => {
    const inCell = events.filter((e) => Math.floor(e.x / size) === c.col && Math.floor(e.y / size) === c.row);
    const placed = places.flatMap((p) => (p.easting === null || p.northing === null ? [] : [{ ...p, metres: Math.hypot(p.easting - c.x, p.northing - c.y) }]));
    const near = placed.filter((p) => p.metres <= NEARBY_METRES);
    const nearest = placed.sort((a, b) => a.metres - b.metres)[0];
    return {
      rank: i + 1,
      where: nearest && nearest.metres <= NAMED_WITHIN_METRES ? `By ${nearest.name} (${Math.round(nearest.metres / 10) * 10} m)` : `Grid square ${cellName(c, size)}`,
      cell: cellName(c, size),
      borough: c.borough,
      events: c.count,
      hotSpot: CLASSES[c.klass],
      peakDay: peakDay(inCell.flatMap((e) => (e.day ? [e.day] : []))),
      peakHours: peakHours(inCell.flatMap((e) => (e.hour === null ? [] : [e.hour]))),
      schools: near.filter((p) => p.kind === 'school').map((p) => p.name),
      places: near.filter((p) => p.kind !== 'school').map((p) => p.name),
    };
  });
}

export function taskingCsv(tasks: Task[]): Csv {
  return toCsv(
    ['rank', 'where', 'cell', 'borough', 'events', 'hot_spot', 'peak_day', 'peak_hours', 'schools_nearby', 'places_nearby'],
    tasks.map((t) => [t.rank, t.where, t.cell, t.borough, t.events, t.hotSpot, t.peakDay, t.peakHours, t.schools.join('; '), t.places.join('; ')]),
  );
}
