// The resident population the tracker divides by: a CSV the partnership
// loads (e.g. from census table RM032), replacing the last one whole.
//   ethnicity,sex,age_from,age_to,people
// ethnicity is an ONS 2021 code as on the person record (white_british …),
// sex female or male. All or nothing, every problem named with its line.
import { FileProblems, readCsv } from '../../analysis/csvRead.ts';
import { ETHNICITY_CODES } from '../people/rules.ts';

export const POPULATION_HEADER = 'ethnicity,sex,age_from,age_to,people';

export interface PopulationRow {
  ethnicity: string;
  sex: 'female' | 'male';
  age_from: number;
  age_to: number;
  people: number;
}

export function readPopulation(text: string): PopulationRow[] {
  const [header, ...records] = readCsv(text);
  const problems: string[] = [];
  if (header?.cells.map((c) => c.trim()).join(',') !== POPULATION_HEADER) throw new FileProblems([`line ${header?.line ?? 1}: the header must be exactly "${POPULATION_HEADER}"`]);
  const rows: PopulationRow[] = [];
  const seen = new Set<string>();
  const whole = (s: string) => (/^\d{1,9}$/.test(s) ? Number(s) : null);
  for (const { line, cells } of records) {
    if (cells.length !== 5) {
      problems.push(`line ${line}: expected 5 columns, found ${cells.length}`);
      continue;
    }
    const [ethnicity, sex, from, to, people] = cells.map((c) => c.trim());
    if (!(ETHNICITY_CODES as string[]).includes(ethnicity) || ethnicity === 'not_stated') problems.push(`line ${line}: "${ethnicity}" is not an ONS 2021 ethnicity code, like white_british or black_african`);
    if (sex !== 'female' && sex !== 'male') problems.push(`line ${line}: sex must be female or male, not "${sex}"`);
    const ageFrom = whole(from);
    const ageTo = whole(to);
    const count = whole(people);
    if (ageFrom === null || ageTo === null || ageTo < ageFrom || ageTo > 120) problems.push(`line ${line}: the ages must be whole numbers with age_to no less than age_from, not "${from}" and "${to}"`);
    if (count === null) problems.push(`line ${line}: people must be a whole number, not "${people}"`);
    const key = `${ethnicity}|${sex}|${from}`;
    if (seen.has(key)) problems.push(`line ${line}: ${ethnicity}, ${sex}, aged ${from} appears twice`);
    seen.add(key);
    if (ageFrom !== null && ageTo !== null && count !== null && (sex === 'female' || sex === 'male')) rows.push({ ethnicity, sex, age_from: ageFrom, age_to: ageTo, people: count });
  }
  // Bands must be the same for everyone, or rates would compare unlike ages.
  const bands = new Map<number, number>();
  for (const r of rows) {
    if (bands.has(r.age_from) && bands.get(r.age_from) !== r.age_to) problems.push(`the age band starting at ${r.age_from} ends at both ${bands.get(r.age_from)} and ${r.age_to}: use the same bands throughout`);
    bands.set(r.age_from, r.age_to);
  }
  const sorted = [...bands.entries()].sort((a, b) => a[0] - b[0]);
  sorted.slice(1).forEach(([from], i) => {
    if (from <= sorted[i][1]) problems.push(`the age bands ${sorted[i][0]}–${sorted[i][1]} and ${from}–${bands.get(from)} overlap`);
  });
  if (!rows.length && !problems.length) problems.push('the file has no rows');
  if (problems.length) throw new FileProblems([...new Set(problems)]);
  return rows;
}
