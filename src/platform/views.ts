// Server-rendered pages: Nunjucks with the GOV.UK and MoJ design systems.
// Templates are looked up in src/views (layout, shared partials, errors),
// src/modules (each module's views/), govuk-frontend and MoJ frontend.
import { HIDDEN_EXPLAINED } from '../modules/figures/suppression.ts';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ROLE_LABELS, type Role } from './permissions.ts';
import { navigationFor } from './navigation.ts';
import { formatDate, formatDateTime } from './time.ts';

const require = createRequire(import.meta.url);
const srcDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const projectRoot = path.dirname(srcDir);
export const govukDir = path.join(projectRoot, 'node_modules/govuk-frontend/dist');
export const mojDir = path.join(projectRoot, 'node_modules/@ministryofjustice/frontend');

export function createViewEnvironment(): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([path.join(srcDir, 'views'), path.join(srcDir, 'modules'), govukDir, mojDir], { noCache: process.env.NODE_ENV === 'development' });
  // Every GOV.UK component includes its template and imports its attribute macro by a relative path,
  // which Nunjucks resolves with path.resolve at each call: the answers never change, so keep them.
  const resolve = loader.resolve.bind(loader);
  const resolved = new Map<string, string>();
  loader.resolve = (from: string, to: string) => {
    const key = `${from}\0${to}`;
    let found = resolved.get(key);
    if (found === undefined) resolved.set(key, (found = resolve(from, to)));
    return found;
  };
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  const mojFilters = require('@ministryofjustice/frontend/moj/filters/all.js')();
  for (const [name, filter] of Object.entries(mojFilters)) env.addFilter(name, filter as (...args: unknown[]) => unknown);
  // Nunjucks' own trim uses /^\s*|\s*$/g, which is quadratic on long whitespace runs; the GOV.UK
  // templates trim whole header and footer blocks, and it took a quarter of all CPU under load.
  const runtime = (nunjucks as unknown as { runtime: { copySafeness(from: unknown, to: string): unknown; markSafe(s: string): unknown } }).runtime;
  env.addFilter('trim', (value: unknown) => runtime.copySafeness(value, String(value ?? '').trim()));
  env.addFilter('dateTime', formatDateTime);
  // Under every table with hidden counts: what “hidden” means (figures/suppression.ts).
  env.addGlobal('hiddenExplained', HIDDEN_EXPLAINED);
  env.addFilter('londonDate', formatDate);
  env.addFilter('roleLabel', (role: string) => ROLE_LABELS[role as Role] ?? role);
  // Figures for a script on the page (a picture, a map), inside <script type="application/json">: nothing in them can close the element.
  env.addFilter('scriptJson', (value: unknown) => runtime.markSafe(JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)));
  // One formatter for every number on every page (toLocaleString makes a new one each call).
  const numbers = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 3 });
  env.addFilter('number', (n: number) => (typeof n === 'number' ? numbers.format(n) : n));
  // A form field that may arrive as one value, several, or none: always a list, for "is it checked".
  env.addFilter('asList', (value: unknown) => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value]));
  return env;
}

declare module 'fastify' {
  interface FastifyReply {
    page(template: string, data: Record<string, unknown>): FastifyReply;
    /**
     * A page whose middle is written while work goes on (an import's progress): the browser shows each
     * line as it arrives, with or without JavaScript. The template marks the place with {{ stream }}.
     */
    streamPage(template: string, data: Record<string, unknown>, work: (write: (html: string) => void) => Promise<void>): Promise<void>;
  }
  interface FastifyInstance {
    /** A template rendered to a string outside any page frame (a product's document for PDF). */
    renderView(template: string, data: Record<string, unknown>): string;
  }
}

const STREAM_MARK = '<!--reachable-stream-->';

/**
 * Every table scrolls inside its own box on a narrow screen, so a page is
 * never wider than a phone (issue 22: usable at 375 px); init.js makes a box
 * that does scroll a named region the keyboard can reach. Every table in
 * Reachable is a govuk-table, so each opening has its closing.
 */
export const scrollableTables = (html: string) => html.replaceAll('<table class="govuk-table', '<div class="reachable-table-scroll"><table class="govuk-table').replaceAll('</table>', '</table></div>');

export function registerViews(app: FastifyInstance, env: nunjucks.Environment): void {
  const render = (reply: FastifyReply, template: string, data: Record<string, unknown>) => {
    const req = reply.request;
    const actor = req.actor;
    const currentPath = req.url.split('?')[0];
    const { navigation, subNavigation } = actor ? navigationFor(actor.roles, currentPath, req.navBadges) : { navigation: [], subNavigation: null };
    const context = {
      ...data,
      actor,
      navigation,
      subNavigation,
      confirmation: req.confirmation,
      cspNonce: (reply as unknown as { cspNonce?: { script: string } }).cspNonce?.script,
      csrfToken: reply.generateCsrf(),
      correlationId: req.id,
      demo: app.demoDatabase,
      stream: new nunjucks.runtime.SafeString(STREAM_MARK),
    };
    return scrollableTables(env.render(template, context));
  };
  app.decorate('renderView', (template: string, data: Record<string, unknown>) => env.render(template, data));
  app.decorateReply('page', function (this: FastifyReply, template: string, data: Record<string, unknown>) {
    return this.type('text/html; charset=utf-8').send(render(this, template, data));
  });
  app.decorateReply('streamPage', async function (this: FastifyReply, template: string, data: Record<string, unknown>, work: (write: (html: string) => void) => Promise<void>) {
    const [head, tail] = render(this, template, data).split(STREAM_MARK);
    // Written straight to the socket, so the headers the onSend hooks would add are added here.
    this.hijack();
    this.raw.writeHead(200, { ...this.getHeaders(), 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-correlation-id': this.request.id } as Record<string, string>);
    this.raw.write(head);
    try {
      await work((html) => this.raw.write(scrollableTables(html)));
    } finally {
      this.raw.end(tail);
    }
  });
}
