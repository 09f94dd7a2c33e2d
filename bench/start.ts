// First start as a newcomer meets it: a fresh, empty DATA_DIR (as after
// `git clone`), `npm start`'s server, timed until the sign-in page answers.
// Median of three (`--times N`). Prints each run and the start-up log's
// phases so the slow step is named, not guessed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { SERVER_NODE_FLAGS, options } from './setup.ts';

const times = Number(options.times ?? 3);
const port = 3998;

async function once(run: number): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-start-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: path.join(dataDir, 'data'), PORT: String(port), LOG_LEVEL: 'warn', START_TIMINGS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(`${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s  ${line}`);
  });
  let elapsed = 0;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server stopped (exit ${child.exitCode}):\n${lines.join('\n')}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/sign-in`);
      if (response.status === 200) {
        elapsed = performance.now() - t0;
        break;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(`run ${run}: sign-in page after ${(elapsed / 1000).toFixed(2)} s`);
  for (const line of lines) console.log(`    ${line}`);
  return elapsed;
}

const results: number[] = [];
for (let run = 1; run <= times; run++) results.push(await once(run));
results.sort((a, b) => a - b);
console.log(`\nfirst start, fresh data folder to sign-in page (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}):`);
console.log(`  median of ${times}: ${(results[Math.floor(times / 2)] / 1000).toFixed(2)} s  (fastest ${(results[0] / 1000).toFixed(2)} s, slowest ${(results.at(-1)! / 1000).toFixed(2)} s)`);
