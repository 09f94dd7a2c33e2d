// Starts a worker thread on a TypeScript module: Node runs this plain
// JavaScript file, which loads the module named in workerData through tsx
// (Node's own loader reads no TypeScript, and a worker does not inherit the
// main thread's tsx hooks).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.module, import.meta.url);
