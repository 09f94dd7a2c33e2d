// `reachable analyse gi`: Getis-Ord Gi* (or Gi with --self-excluded) on
// features an analyst brings (id,x,y,value in metres), written as id,z,p so
// the figures can be checked against R's spdep::localG.
import { localG, neighboursWithin } from './getisOrd.ts';
import { readTable } from './features.ts';
import { floatText } from './rri.ts';

export function giCsv(text: string, distance: number, selfExcluded: boolean): string {
  const rows = readTable(text, ['id', 'x', 'y', 'value'], ['x', 'y', 'value']);
  const x = Float64Array.from(rows, (r) => Number(r.x));
  const y = Float64Array.from(rows, (r) => Number(r.y));
  const values = Float64Array.from(rows, (r) => Number(r.value));
  const { z, p } = localG(values, neighboursWithin(x, y, distance), { selfExcluded });
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return ['id,z,p', ...rows.map((r, i) => `${quote(r.id)},${floatText(z[i])},${floatText(p[i])}`)].join('\n') + '\n';
}
