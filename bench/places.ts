// Benchmark (issue 6): Getis-Ord Gi* on 1,000,000 points on a 250 m grid over
// London (target: 1 s or less), compared in the same run with R's spdep on
// the same grid (time and largest difference in z); and the import rate of a
// police.uk street crime file into PostgreSQL (target: 50,000 rows a second
// or more, and at least half the rate of PostgreSQL making the same rows
// itself), reading and checking included.
//
//   npx tsx bench/places.ts [--reuse]   (BENCH_DATABASE_URL or DATABASE_URL, else local PostgreSQL)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boroughsOnGrid, fromBritishNationalGrid } from '../src/analysis/geography.ts';
import { countInCells, studyCells } from '../src/analysis/grid.ts';
import { localG, neighboursWithin } from '../src/analysis/getisOrd.ts';
import { seededRandom } from '../src/analysis/random.ts';
import { readStreetCrimes } from '../src/modules/crime-data/policeStreet.ts';
import { saveImport } from '../src/modules/crime-data/imports.ts';
import { sql } from 'kysely';
import { ownDatabase, options } from './setup.ts';

const POINTS = 1_000_000;
const CELL = 250;
const BAND = 375;
const IMPORT_ROWS = 200_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-places-'));
const random = seededRandom(1);
const seconds = (t0: number) => (performance.now() - t0) / 1000;

// 1. Gi* on a grid. The study cells (which 250 m squares lie in London) are the same for every map, so they are made once and timed apart.
const boroughs = boroughsOnGrid();
let t0 = performance.now();
const cells = studyCells(boroughs, CELL);
console.log(`study area: ${cells.length.toLocaleString('en-GB')} cells of ${CELL} m over London's 33 boroughs, made in ${seconds(t0).toFixed(2)} s (once, not per map)`);
// Points clustered around 300 centres (as crime is), the rest spread out.
const [minX, minY, maxX, maxY] = [Math.min(...boroughs.map((b) => b.bbox[0])), Math.min(...boroughs.map((b) => b.bbox[1])), Math.max(...boroughs.map((b) => b.bbox[2])), Math.max(...boroughs.map((b) => b.bbox[3]))];
const centres = Array.from({ length: 300 }, () => [minX + random() * (maxX - minX), minY + random() * (maxY - minY)]);
const xs = new Float64Array(POINTS);
const ys = new Float64Array(POINTS);
for (let i = 0; i < POINTS; i++) {
  if (random() < 0.6) {
    const [cx, cy] = centres[Math.floor(random() * centres.length)];
    xs[i] = cx + (random() + random() + random() - 1.5) * 600;
    ys[i] = cy + (random() + random() + random() - 1.5) * 600;
  } else {
    xs[i] = minX + random() * (maxX - minX);
    ys[i] = minY + random() * (maxY - minY);
  }
}
const points = { *[Symbol.iterator]() { for (let i = 0; i < POINTS; i++) yield { x: xs[i], y: ys[i] }; } };
const runs: number[] = [];
let z: Float64Array = new Float64Array(0);
let counts: Float64Array = new Float64Array(0);
for (let run = 0; run < 5; run++) {
  t0 = performance.now();
  counts = countInCells(cells, CELL, points);
  const neighbours = neighboursWithin(cells.map((c) => c.x), cells.map((c) => c.y), BAND);
  z = localG(counts, neighbours).z;
  runs.push(seconds(t0));
}
runs.sort((a, b) => a - b);
console.log(`Gi* on ${POINTS.toLocaleString('en-GB')} points (count into cells, neighbours within ${BAND} m, z and p): median of 5 runs ${runs[2].toFixed(3)} s, fastest ${runs[0].toFixed(3)} s (target: 1 s or less)`);

const grid = path.join(dir, 'grid.csv');
fs.writeFileSync(grid, 'x,y,value\n' + cells.map((c, i) => `${c.x},${c.y},${counts[i]}`).join('\n') + '\n');
const script = path.join(dir, 'gi.R');
fs.writeFileSync(
  script,
  `suppressPackageStartupMessages(library(spdep))
d <- read.csv("${grid}")
t <- system.time({ nb <- include.self(dnearneigh(cbind(d$x, d$y), 0, ${BAND})); g <- as.numeric(localG(d$value, nb2listw(nb, style = "B"))) })
cat(t[["elapsed"]], "\\n")
write.csv(data.frame(z = sprintf("%.17g", g)), "${grid}.out", row.names = FALSE, quote = FALSE)
`,
);
const r = spawnSync('Rscript', [script], { encoding: 'utf8' });
if (r.status === 0) {
  const theirs = fs.readFileSync(`${grid}.out`, 'utf8').trim().split('\n').slice(1).map(Number);
  const gap = theirs.reduce((m, v, i) => Math.max(m, Math.abs(v - z[i])), 0);
  console.log(`spdep (R) on the same ${cells.length.toLocaleString('en-GB')}-cell grid (dnearneigh, include.self, nb2listw, localG): ${Number(r.stdout.trim()).toFixed(3)} s, not counting reading the points; largest difference in z ${gap.toExponential(2)}`);
} else console.log(`spdep could not be run (apt-get install r-cran-spdep): ${r.stderr.split('\n')[0]}`);

// 2. Import rate: police.uk files of 200,000 rows, read, checked and saved in one transaction: into an empty
// table three times (the median reported), then a second month on top of the first, then the first again.
const policeFile = (month: string, from: number) => {
  const lines = ['Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context'];
  for (let i = from; i < from + IMPORT_ROWS; i++) {
    const [lon, lat] = fromBritishNationalGrid(xs[i], ys[i]);
    lines.push(`${i.toString(16).padStart(64, '0')},${month},Metropolitan Police Service,Metropolitan Police Service,${lon.toFixed(6)},${lat.toFixed(6)},On or near a street,E01000001,Somewhere 001A,Violence and sexual offences,Under investigation,`);
  }
  return lines.join('\n') + '\n';
};
const database = await ownDatabase('reachable_bench_places', options.reuse);
const importFile = async (text: string) => {
  const t0 = performance.now();
  const rows = readStreetCrimes(text);
  const read = seconds(t0);
  const t1 = performance.now();
  const [saved] = await saveImport(database.db, {}, 'police_street', [{ fileName: 'bench.csv', rows }]);
  return { read, save: seconds(t1), added: saved.added };
};
const rate = (r: { read: number; save: number }) => `${Math.round(IMPORT_ROWS / (r.read + r.save)).toLocaleString('en-GB')} rows a second`;
const first = policeFile('2026-01', 0);
const imports: { read: number; save: number; added: number }[] = [];
for (let k = 0; k < 3; k++) {
  await sql`TRUNCATE crime_record`.execute(database.db);
  imports.push(await importFile(first));
}
imports.sort((a, b) => a.read + a.save - (b.read + b.save));
const median = imports[1];
console.log(`import: ${IMPORT_ROWS.toLocaleString('en-GB')} police.uk rows (${(first.length / 1e6).toFixed(1)} MB) into an empty table, median of 3: read and checked in ${median.read.toFixed(2)} s, saved to PostgreSQL in ${median.save.toFixed(2)} s; ${rate(median)} overall (target: 50,000 or more; all three: ${imports.map(rate).join(', ')}); ${median.added.toLocaleString('en-GB')} new`);
const next = await importFile(policeFile('2026-02', IMPORT_ROWS));
console.log(`the next month's ${IMPORT_ROWS.toLocaleString('en-GB')} rows on top: read in ${next.read.toFixed(2)} s, saved in ${next.save.toFixed(2)} s; ${rate(next)} overall; ${next.added.toLocaleString('en-GB')} new`);
const again = await importFile(first);
console.log(`the first file again: read in ${again.read.toFixed(2)} s, saved in ${again.save.toFixed(2)} s; ${again.added} new rows`);
// What PostgreSQL itself manages on this machine: the same number of rows of the same shape made by the server
// (generate_series, no client, no parsing), into the same empty table with the same keys and checks, in one transaction.
await sql`TRUNCATE crime_record`.execute(database.db);
const runId = (await database.db.selectFrom('import_run').select('id').executeTakeFirstOrThrow()).id;
t0 = performance.now();
await sql`INSERT INTO crime_record (id, crime_id, month, reported_by, falls_within, longitude, latitude, easting, northing, location, lsoa_code, lsoa_name, crime_type, last_outcome, import_id)
  SELECT md5(g::text)::uuid, lpad(to_hex(g), 64, '0'), date '2026-01-01', 'Metropolitan Police Service', 'Metropolitan Police Service', -0.1, 51.5, 530000 + g % 1000, 180000 + g % 1000,
    'On or near a street', 'E01000001', 'Somewhere 001A', 'Violence and sexual offences', 'Under investigation', ${runId}::uuid
  FROM generate_series(1, ${IMPORT_ROWS}) g ON CONFLICT DO NOTHING`.execute(database.db);
const itself = seconds(t0);
console.log(`for comparison, PostgreSQL making the same ${IMPORT_ROWS.toLocaleString('en-GB')} rows itself (no client): ${itself.toFixed(2)} s, ${Math.round(IMPORT_ROWS / itself).toLocaleString('en-GB')} rows a second`);
console.log(
  `ratio, our import ÷ PostgreSQL's own rate (issue 24 goal: 0.5 or more): ${(itself / (median.read + median.save)).toFixed(2)} with reading and checking the file, ${(itself / median.save).toFixed(2)} for saving alone (COPY into a staging table, then one INSERT … SELECT … ON CONFLICT DO NOTHING)`,
);
await database.close();
fs.rmSync(dir, { recursive: true, force: true });
