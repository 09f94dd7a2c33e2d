// The choices every places-and-times page shares (a GET form: no personal
// data in it): which sources and kinds of event, which months, which
// boroughs; and the hot spot map's own: cell size, distance band, Gi or Gi*,
// and the correction for testing every cell.
import { FormErrors, choices, list, monthField, optionalChoice, str, type Body } from '../../platform/forms.ts';
import { londonToday } from '../../platform/time.ts';
import { boroughsOnGrid } from '../../analysis/geography.ts';
import { CORRECTIONS, type Correction } from '../../analysis/multipleTesting.ts';
import { AGE_BANDS, SOURCE_CODES, type AgeBand, type EventFilter } from './events.ts';

export const DEFAULT_CELL = 250;

export interface Choices extends EventFilter {
  boroughs: string[];
}

/** The last twelve whole months, unless the reader says otherwise. */
function lastYear(today = londonToday()): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number);
  const to = new Date(Date.UTC(y, m - 2, 1));
  const from = new Date(Date.UTC(y, m - 13, 1));
  return { from: from.toISOString().slice(0, 7), to: to.toISOString().slice(0, 7) };
}

export function readChoices(query: Body, errors: FormErrors): Choices {
  const fallback = lastYear();
  const sources = choices(query, 'sources', errors, SOURCE_CODES, 'Select sources from the list');
  const from = monthField(query, 'from', errors, 'The first month', fallback.from) ?? fallback.from;
  const to = monthField(query, 'to', errors, 'The last month', fallback.to) ?? fallback.to;
  if (from > to) errors.add('from', 'The first month must be the same as or before the last month');
  const names = boroughsOnGrid().map((b) => b.name);
  const boroughs = choices(query, 'boroughs', errors, names, 'Select boroughs from the list');
  const ageBand = optionalChoice(query, 'ageBand', errors, Object.keys(AGE_BANDS) as AgeBand[], 'Select an age band from the list');
  return { sources: sources.length ? sources : SOURCE_CODES, categories: list(query, 'categories').slice(0, 100), from, to, boroughs, ageBand };
}

export interface MapChoices {
  cellSize: number;
  distance: number;
  selfExcluded: boolean;
  correction: Correction;
  /** Kernel density's cell size and radius: ArcGIS's defaults when not set. */
  kdeCell: number | undefined;
  kdeRadius: number | undefined;
}

function metres(query: Body, name: string, errors: FormErrors, label: string, fallback: number, min: number, max: number): number {
  const raw = str(query, name);
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    errors.add(name, `${label} must be a number of metres from ${min} to ${max}`);
    return fallback;
  }
  return n;
}

export function readMapChoices(query: Body, errors: FormErrors): MapChoices {
  const cellSize = metres(query, 'cellSize', errors, 'The cell size', DEFAULT_CELL, 50, 2000);
  // By default the band reaches the eight cells around each cell (the diagonal is 1.41 cells away).
  const distance = metres(query, 'distance', errors, 'The distance band', cellSize * 1.5, 50, 10_000);
  if (distance < cellSize) errors.add('distance', 'The distance band must be at least the cell size, or no cell has a neighbour');
  const correction = optionalChoice(query, 'correction', errors, Object.keys(CORRECTIONS) as Correction[], 'Select a correction from the list') ?? 'fdr';
  const optional = (name: string, label: string) => (str(query, name) ? metres(query, name, errors, label, 0, 5, 5000) || undefined : undefined);
  return { cellSize, distance, selfExcluded: str(query, 'selfExcluded') === 'yes', correction, kdeCell: optional('kdeCell', 'The density cell size'), kdeRadius: optional('kdeRadius', 'The density radius') };
}
