// Reading an action plan laid out like seed 004's tables:
//   Action no., Action, Lead partner(s), Strategic Principle alignment, Enabling Principle alignment
// A row with only a heading (and no number) starts a new commitment, as the
// seed's sub-headings group its actions; a row with only principles adds
// them to the action above (the seed's tables run cells over page breaks).
// Principles are read from "[Strategic Principle 4] …" or plain numbers
// ("4; 3"); a label in the cell wins over its column, because seed 004
// sometimes puts a strategic principle in the enabling column.
// All or nothing: every problem is named with its line, and nothing is
// imported from a file with any.
import { FileProblems, readCsv } from '../../analysis/csvRead.ts';
import { ACTION_NUMBER, partners, principleLabel, type PrincipleKind } from './rules.ts';

export const PLAN_COLUMNS = ['Action no.', 'Action', 'Lead partner(s)', 'Strategic Principle alignment', 'Enabling Principle alignment'];

export interface KnownPrinciple {
  id: string;
  kind: string;
  number: number;
}

export interface ImportedAction {
  line: number;
  number: string;
  statement: string;
  leadPartners: string[];
  principleIds: string[];
}

export interface ImportedCommitment {
  statement: string;
  actions: ImportedAction[];
}

/** Plain text from a cell that may hold the seed's markup (<b>, <i>, <p>, lists). */
export function plain(cell: string): string {
  return cell
    .replace(/\r\n?/g, '\n')
    .replace(/<\/(p|li)>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

const LABELLED = /(strategic|enabling|guiding)?\s*principles?\s*(\d+)/gi;
const NUMBERS = /^\s*\d+(\s*[;,]\s*\d+)*\s*$/;

/** The principles a cell names, as kind and number. */
export function principleRefs(cell: string, column: PrincipleKind): { kind: PrincipleKind; number: number }[] | null {
  const text = plain(cell);
  if (!text) return [];
  if (NUMBERS.test(text)) return text.split(/[;,]/).map((n) => ({ kind: column, number: Number(n.trim()) }));
  const refs = [...text.matchAll(LABELLED)].map((m) => ({ kind: (m[1]?.toLowerCase() as PrincipleKind | undefined) ?? column, number: Number(m[2]) }));
  return refs.length ? refs : null;
}

export function readPlan(csv: string, principles: KnownPrinciple[]): ImportedCommitment[] {
  const [header, ...records] = readCsv(csv);
  const problems: string[] = [];
  const norm = (s: string) => plain(s).toLowerCase().replace(/\s+/g, ' ');
  if (!header || header.cells.length < 3 || PLAN_COLUMNS.slice(0, header.cells.length).some((c, i) => norm(header.cells[i]) !== c.toLowerCase()) || header.cells.length > PLAN_COLUMNS.length) {
    throw new FileProblems([`line ${header?.line ?? 1}: the first row must be the column headings: ${PLAN_COLUMNS.join(', ')}`]);
  }
  const byRef = new Map(principles.map((p) => [`${p.kind}:${p.number}`, p.id]));
  const commitments: ImportedCommitment[] = [];
  let heading: string[] = [];
  let current: ImportedCommitment | null = null;
  let last: ImportedAction | null = null;
  const numbers = new Set<string>();

  for (const { line, cells } of records) {
    const [number = '', action = '', lead = '', strategic = '', enabling = ''] = cells.map(plain);
    if (cells.length > PLAN_COLUMNS.length && cells.slice(PLAN_COLUMNS.length).some((c) => c.trim())) {
      problems.push(`line ${line}: expected ${PLAN_COLUMNS.length} columns, found ${cells.length}`);
      continue;
    }
    const ids: string[] = [];
    for (const [cell, column] of [[strategic, 'strategic'], [enabling, 'enabling']] as const) {
      const refs = principleRefs(cell, column);
      if (refs === null) problems.push(`line ${line}: no principle number found in "${cell.slice(0, 60)}"`);
      for (const ref of refs ?? []) {
        const id = byRef.get(`${ref.kind}:${ref.number}`);
        if (id) ids.push(id);
        else problems.push(`line ${line}: ${principleLabel(ref)} is not one of the partnership's principles`);
      }
    }
    if (!number && !action && !lead) {
      // The seed's tables run a cell over a page break: its principles belong to the action above.
      if (last) last.principleIds.push(...ids);
      else if (ids.length) problems.push(`line ${line}: principles with no action above them`);
      continue;
    }
    const onlyHeading = [number, action, lead, strategic, enabling].filter(Boolean).length === 1 && !lead;
    if (onlyHeading) {
      // A plan's own title ("5.1. KNIFE CRIME ACTION PLAN") is not a commitment.
      const words = number || action;
      if (!/^\d+(\.\d+)*\.\s+\S/.test(words)) heading.push(words);
      current = null;
      last = null;
      continue;
    }
    if (!number) problems.push(`line ${line}: the action has no number`);
    else if (!ACTION_NUMBER.test(number)) problems.push(`line ${line}: "${number}" is not an action number like 5.1.3`);
    else if (numbers.has(number)) problems.push(`line ${line}: action ${number} appears twice`);
    if (!action) problems.push(`line ${line}: action ${number} has no text`);
    if (action.length > 4000) problems.push(`line ${line}: action ${number} is longer than 4,000 characters`);
    if (lead.length > 500) problems.push(`line ${line}: the lead partners are longer than 500 characters`);
    numbers.add(number);
    if (!current) {
      current = { statement: heading.join('\n') || 'Actions', actions: [] };
      commitments.push(current);
      heading = [];
    }
    last = { line, number, statement: action, leadPartners: partners(lead), principleIds: ids };
    current.actions.push(last);
  }
  if (!commitments.length && !problems.length) problems.push('the file has no actions');
  if (problems.length) throw new FileProblems(problems);
  for (const c of commitments) for (const a of c.actions) a.principleIds = [...new Set(a.principleIds)];
  return commitments;
}
