// One worker thread's share of Brandes' betweenness (betweennessParallel.ts):
// the graph arrives in shared memory, the sources as a list; the unnormalised
// sums go back.
import { parentPort } from 'node:worker_threads';
import { brandes } from './graph.ts';

export interface Share {
  offsets: Int32Array;
  targets: Int32Array;
  n: number;
  sources: Int32Array;
}

parentPort!.on('message', ({ offsets, targets, n, sources }: Share) => {
  const bc = new Float64Array(n);
  brandes(offsets, targets, n, sources, bc);
  parentPort!.postMessage(bc, [bc.buffer]);
});
