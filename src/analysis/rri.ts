// The relative rate index (RRI) for the disproportionality tracker (issue 7;
// seed 004: "a disproportionality tracker"): a group's rate of events per
// resident divided by a reference group's, with the Katz log confidence
// interval (Katz, Baptista, Azen and Pike, Biometrics 1978):
//   RRI = (a / n1) / (c / n2)
//   SE(ln RRI) = sqrt(1/a - 1/n1 + 1/c - 1/n2)
//   CI = RRI × exp(∓ z × SE), z the normal quantile (1.96 for 95%).
// The arithmetic follows scipy.stats.contingency.relative_risk step by step,
// including its conventions when a count is zero (after R's epitools), so the
// two agree to the last few bits; the test checks them against each other.

import { readCsv } from './csvRead.ts';

/** The standard normal quantile at 0.975 (scipy's ndtri(0.975)). */
export const Z_95 = 1.959963984540054;

export interface GroupCount {
  group: string;
  events: number;
  population: number;
}

export interface RelativeRate {
  group: string;
  rate: number;
  rri: number;
  ciLow: number;
  ciHigh: number;
}

export function relativeRate(g: GroupCount, reference: GroupCount, z = Z_95): RelativeRate {
  const rate = g.events / g.population;
  const rri = rate / (reference.events / reference.population);
  let ciLow: number;
  let ciHigh: number;
  if (g.events === 0 && reference.events === 0) [ciLow, ciHigh] = [NaN, NaN];
  else if (g.events === 0) [ciLow, ciHigh] = [0, NaN];
  else if (reference.events === 0) [ciLow, ciHigh] = [NaN, Infinity];
  else {
    const se = Math.sqrt(1 / g.events - 1 / g.population + 1 / reference.events - 1 / reference.population);
    const delta = z * se;
    ciLow = rri * Math.exp(-delta);
    ciHigh = rri * Math.exp(delta);
  }
  return { group: g.group, rate, rri: g.events === 0 && reference.events === 0 ? NaN : rri, ciLow, ciHigh };
}

export class CountsError extends Error {}

/**
 * Reads `group,events,population` (a header row, then one row per group):
 * every problem is named with its line number, and nothing is computed
 * from a file with any.
 */
export function readGroupCounts(text: string): GroupCount[] {
  const [header, ...records] = readCsv(text);
  const problems: string[] = [];
  if (header?.cells.join(',').trim() !== 'group,events,population') problems.push(`line ${header?.line ?? 1}: the header must be exactly "group,events,population"`);
  const out: GroupCount[] = [];
  const seen = new Set<string>();
  for (const { line: n, cells } of records) {
    if (cells.length !== 3) {
      problems.push(`line ${n}: expected 3 columns, found ${cells.length}`);
      continue;
    }
    const [group, events, population] = cells.map((c) => c.trim());
    if (!group) problems.push(`line ${n}: the group has no name`);
    else if (seen.has(group)) problems.push(`line ${n}: "${group}" appears twice`);
    const e = /^\d+$/.test(events) ? Number(events) : NaN;
    const p = /^\d+$/.test(population) ? Number(population) : NaN;
    if (Number.isNaN(e)) problems.push(`line ${n}: events must be a whole number, not "${events}"`);
    if (Number.isNaN(p) || p === 0) problems.push(`line ${n}: population must be a whole number above 0, not "${population}"`);
    else if (e > p) problems.push(`line ${n}: more events (${e}) than people (${p})`);
    seen.add(group);
    out.push({ group, events: e, population: p });
  }
  if (!out.length && !problems.length) problems.push('the file has no groups');
  if (problems.length) throw new CountsError(problems.join('\n'));
  return out;
}

/** A float as text that reads back exactly (shortest round trip), with nan and inf spelt as Python and pandas read them. */
export function floatText(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  return String(x);
}

/** The CLI's output: group,rate,rri,ci_low,ci_high for every group, the reference included (RRI 1). */
export function rriCsv(groups: GroupCount[], referenceName: string): string {
  const reference = groups.find((g) => g.group === referenceName);
  if (!reference) throw new CountsError(`the reference group "${referenceName}" is not in the file (groups: ${groups.map((g) => g.group).join(', ')})`);
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = groups.map((g) => relativeRate(g, reference)).map((r) => [quote(r.group), floatText(r.rate), floatText(r.rri), floatText(r.ciLow), floatText(r.ciHigh)].join(','));
  return ['group,rate,rri,ci_low,ci_high', ...rows].join('\n') + '\n';
}
