// A generated product as its reader opens it: people named or pseudonymised
// by the reader's role; as a PDF printed by the Chromium the project already
// uses for its browser tests (Debian's), from the same HTML with the print
// stylesheet; and every table as CSV.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { govukDir, projectRoot } from '../../platform/views.ts';
import { toCsv, type Csv } from '../../platform/csv.ts';
import type { Content } from './operations.ts';
import { withheld, type CellValue, type PersonCell } from './sections.ts';
import { SECTION_PAGES, sectionOpen, type Audience } from './kinds.ts';

const isPerson = (c: CellValue): c is PersonCell => typeof c === 'object' && c !== null;

/** The content as a reader may see it: sections from pages their role cannot open withheld, every person cell in the words they may see. */
export function asOpened(content: Content, reader: { roles: readonly string[]; audience: Audience }, name: (p: { id: string; given_name: string; family_name: string }) => string): Content {
  const person = (c: CellValue): CellValue => {
    if (!isPerson(c)) return c;
    const [given, ...family] = c.name.split(' ');
    return name({ id: c.person, given_name: given, family_name: family.join(' ') });
  };
  return {
    ...content,
    sections: content.sections.map((s) =>
      sectionOpen(reader.roles, s.kind, reader.audience) ? { ...s, built: { ...s.built, tables: s.built.tables.map((t) => ({ ...t, rows: t.rows.map((r) => r.map(person)) })) } } : { ...s, built: withheld(SECTION_PAGES[s.kind].page, 'reader') },
    ),
  };
}

/** Every table as section, table, row, column, value. */
export function productCsv(content: Content): Csv {
  const rows: (string | number | null)[][] = [];
  for (const s of content.sections)
    for (const t of s.built.tables)
      for (const r of t.rows)
        r.slice(1).forEach((v, i) => rows.push([s.title, t.caption, String(r[0] ?? ''), t.head[i + 1], isPerson(v) ? v.name : v]));
  return toCsv(['section', 'table', 'row', 'column', 'value'], rows);
}

let styles: string | undefined;
/** GOV.UK Frontend's and Reachable's own stylesheets, inlined: the PDF page loads nothing from anywhere. */
export function inlineStyles(): string {
  styles ??= [path.join(govukDir, 'govuk/govuk-frontend.min.css'), path.join(projectRoot, 'src/assets/reachable.css')].map((f) => fs.readFileSync(f, 'utf8')).join('\n').replace(/@font-face\s*{[^}]*}/g, '');
  return styles;
}

export class NoChromium extends Error {}

/** The HTML printed to an A4 PDF, page numbers in the footer, backgrounds kept for the maps' colours. */
export async function printPdf(html: string, chromiumPath: string): Promise<Buffer> {
  if (!fs.existsSync(chromiumPath)) throw new NoChromium(`Chromium is not at ${chromiumPath}`);
  // No network at all: the page is complete in itself, and nothing in a product may leave the server.
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '18mm', bottom: '18mm', left: '15mm', right: '15mm' }, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: '<div style="font-size:9px;width:100%;text-align:center"><span class="pageNumber"></span> of <span class="totalPages"></span></div>' });
  } finally {
    await browser.close();
  }
}
