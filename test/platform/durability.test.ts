// What Reachable says of the embedded database's durability (issue 24) is
// true: 50 acknowledged commits on a PGlite data folder make 0 sync calls
// (fsync, fdatasync, sync_file_range, msync), counted by strace, while the
// writes themselves are there. If PGlite ever syncs, this fails, and the
// README, the start-up log and /health must change with it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engine } from '../support/app.ts';

const hasStrace = spawnSync('strace', ['-V']).status === 0;

/** strace -c's table as calls per syscall (an empty table when none were made). */
function counted(file: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$/.exec(line);
    if (m && m[2] !== 'total') calls[m[2]] = Number(m[1]);
  }
  return calls;
}

describe.skipIf(!hasStrace || engine === 'postgresql')('the embedded database on disk', () => {
  it('makes no sync call for 50 acknowledged commits, though it writes them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-strace-'));
    try {
      const run = (trace: string, out: string) =>
        spawnSync('strace', ['-f', '-c', '-o', path.join(dir, out), '-e', `trace=${trace}`, process.execPath, '--import', 'tsx', 'bench/durability.ts', '50'], { encoding: 'utf8', timeout: 120_000 });
      const syncs = run('fsync,fdatasync,sync_file_range,msync', 'syncs.txt');
      expect(syncs.stdout).toContain('50 acknowledged commits');
      expect(counted(path.join(dir, 'syncs.txt'))).toEqual({});
      run('write,pwrite64', 'writes.txt');
      const writes = counted(path.join(dir, 'writes.txt'));
      expect((writes.pwrite64 ?? 0) + (writes.write ?? 0)).toBeGreaterThan(50);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
