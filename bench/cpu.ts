// CPU time spent by processes, read from /proc (Linux): Reachable's server
// with its worker processes, and PostgreSQL's (every process named postgres).
// Sampled before and after a load run, the difference divided by the
// requests answered is the CPU each request cost.
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Stat {
  pid: number;
  ppid: number;
  name: string;
  cpu: number;
}

function processes(): Stat[] {
  const all: Stat[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const name = text.slice(text.indexOf('(') + 1, close);
      const fields = text.slice(close + 2).split(' ');
      // After the name: state (0), ppid (1), … utime (11), stime (12), then cutime (13) and
      // cstime (14): what its children that have ended spent. Counting those keeps the sum from
      // going down when PostgreSQL ends a backend (its time moves to the postmaster's).
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      all.push({ pid: Number(entry), ppid: Number(fields[1]), name, cpu: ticks / TICKS_PER_SECOND });
    } catch {
      /* gone meanwhile */
    }
  }
  return all;
}

/** CPU seconds so far of the server (this pid and its descendants) and of PostgreSQL. */
export function cpuNow(serverPid: number): { node: number; postgres: number } {
  const all = processes();
  const tree = new Set([serverPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) if (!tree.has(p.pid) && tree.has(p.ppid)) (tree.add(p.pid), (grew = true));
  }
  let node = 0;
  let postgres = 0;
  for (const p of all) {
    if (tree.has(p.pid)) node += p.cpu;
    else if (p.name === 'postgres') postgres += p.cpu;
  }
  return { node, postgres };
}
