// Everything a page loads is served by Reachable itself from /assets/: no
// CDN, no external fonts. The allowed files are listed once at start-up, so
// nothing outside them can be asked for.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildSync } from 'esbuild';
import { declareRoute } from './routes.ts';
import { govukDir, mojDir, projectRoot } from './views.ts';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

function listFiles(root: string, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const entry of fs.readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const rel = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else if (TYPES[path.extname(entry.name)]) out.push([rel, path.join(root, rel)]);
  }
  return out;
}

function assetMap(): Map<string, string> {
  const map = new Map<string, string>();
  const add = (entries: [string, string][]) => entries.forEach(([rel, file]) => map.has(rel) || map.set(rel, file));
  add(listFiles(path.join(projectRoot, 'src/assets')));
  add(listFiles(path.join(govukDir, 'govuk/assets')));
  add(listFiles(path.join(mojDir, 'moj/assets')));
  for (const file of ['govuk-frontend.min.css', 'govuk-frontend.min.js']) add([[file, path.join(govukDir, 'govuk', file)]]);
  for (const file of ['moj-frontend.min.css', 'moj-frontend.min.js']) add([[file, path.join(mojDir, 'moj', file)]]);
  add([['leaflet.css', path.join(projectRoot, 'node_modules/leaflet/dist/leaflet.css')]]);
  return map;
}

/** Scripts Reachable writes in TypeScript for the browser, bundled with their libraries (sigma, Leaflet) on first request. */
const BUNDLES: Record<string, string> = {
  'network-picture.js': 'src/client/network-picture.ts',
  'map.js': 'src/client/map.ts',
  'zone-draw.js': 'src/client/zone-draw.ts',
  'passkey.js': 'src/client/passkey.ts',
};
const bundled = new Map<string, Uint8Array>();

function bundle(rel: string): Uint8Array {
  if (!bundled.has(rel)) {
    const result = buildSync({ entryPoints: [path.join(projectRoot, BUNDLES[rel])], bundle: true, format: 'esm', minify: true, target: 'es2020', write: false, logLevel: 'silent' });
    bundled.set(rel, result.outputFiles[0].contents);
  }
  return bundled.get(rel)!;
}

export function registerAssets(app: FastifyInstance): void {
  const files = assetMap();
  declareRoute(app, {
    method: 'GET',
    url: '/assets/*',
    access: 'public',
    audit: null,
    sessionless: true,
    handler: async (req, reply) => {
      const rel = (req.params as { '*': string })['*'];
      if (Object.hasOwn(BUNDLES, rel)) return reply.header('cache-control', 'public, max-age=3600').type(TYPES['.js']).send(Buffer.from(bundle(rel)));
      const file = files.get(rel);
      if (!file) return reply.callNotFound();
      reply.header('cache-control', 'public, max-age=3600');
      return reply.type(TYPES[path.extname(file)]).send(fs.createReadStream(file));
    },
  });
}
