// Identity matching quality (issue 18): precision and recall of the duplicate
// check's score (shown from SHOW_FROM points) over the labelled pairs made by
// rule in test/support/matchPairs.ts, overall and rule by rule, for several
// seeds (each a fresh draw of the same rules), with the time to score a pair.
// Needs no database.
//
//   npm run bench:matching [-- --seeds N]
import { parseArgs } from 'node:util';
import { SHOW_FROM, STRONG, scoreCandidate } from '../src/modules/people/matching.ts';
import { evaluate, labelledPairs } from '../test/support/matchPairs.ts';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '5' } } });
const seeds = Number(values.seeds);

const rows: { seed: number; pairs: number; truePairs: number; precision: number; recall: number; strong: number }[] = [];
let scored = 0;
let ms = 0;
for (let seed = 17; seed < 17 + seeds; seed++) {
  const pairs = labelledPairs(seed);
  const started = performance.now();
  const shown = evaluate(pairs, (a, b) => scoreCandidate(a, b).score >= SHOW_FROM);
  ms += performance.now() - started;
  scored += pairs.length;
  const strong = evaluate(pairs, (a, b) => scoreCandidate(a, b).score >= STRONG);
  rows.push({ seed, pairs: shown.pairs, truePairs: shown.truePairs, precision: shown.precision, recall: shown.recall, strong: Object.values(strong.byRule).reduce((n, r) => n + r.matched, 0) });
  if (seed === 17) {
    console.log('by rule (seed 17): pairs, shown as a possible duplicate');
    for (const [rule, r] of Object.entries(shown.byRule)) console.log(`  ${rule.padEnd(55)} ${String(r.pairs).padStart(3)} ${String(r.matched).padStart(4)}`);
  }
  for (const m of shown.missed) console.log(`  missed (seed ${seed}): ${m}`);
  for (const w of shown.wronglyMatched) console.log(`  wrongly shown (seed ${seed}): ${w}`);
}
console.log(`\nseed  pairs  true  precision  recall  called strong (${STRONG}+ points: names, date and an identifier or address)`);
for (const r of rows) console.log(`${String(r.seed).padEnd(5)} ${String(r.pairs).padStart(5)} ${String(r.truePairs).padStart(5)}  ${r.precision.toFixed(3).padStart(9)}  ${r.recall.toFixed(3).padStart(6)}  ${String(r.strong).padStart(8)}`);
const mean = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
console.log(`mean over ${rows.length} seeds: precision ${mean((r) => r.precision).toFixed(3)}, recall ${mean((r) => r.recall).toFixed(3)} (goal: recall ≥ 0.95 at precision ≥ 0.95)`);
console.log(`scoring: ${((ms * 1000) / scored).toFixed(1)} µs a pair (${scored} pairs)`);
