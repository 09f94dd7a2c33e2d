// Charts drawn on the server as SVG: no script, so they show without
// JavaScript and print cleanly. Every chart is an image with a text
// alternative, and every page that shows one puts a table beside it.

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const round = (n: number) => Math.round(n * 10) / 10;

export interface Point {
  label: string;
  value: number | null;
}

/** A line over time; gaps where a value is missing; an optional dashed target line. Small: one of a set drawn side by side on one scale of size (small multiples). */
export function lineChart(opts: { title: string; points: Point[]; target?: number | null; unit?: string; small?: boolean }): string {
  const W = opts.small ? 320 : 640;
  const H = opts.small ? 150 : 220;
  const pad = { left: 48, right: 16, top: 16, bottom: opts.small ? 30 : 40 };
  const values = opts.points.map((p) => p.value).filter((v): v is number => v !== null);
  const top = Math.max(1, ...values, opts.target ?? 0) * 1.1;
  const x = (i: number) => pad.left + (opts.points.length < 2 ? 0 : (i * (W - pad.left - pad.right)) / (opts.points.length - 1));
  const y = (v: number) => H - pad.bottom - (v / top) * (H - pad.top - pad.bottom);
  const segments: string[] = [];
  let current: string[] = [];
  opts.points.forEach((p, i) => {
    if (p.value === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else current.push(`${round(x(i))},${round(y(p.value))}`);
  });
  if (current.length) segments.push(current.join(' '));
  const unit = opts.unit ?? '';
  const ticks = [0, top / 2, top].map((t) => `<text x="${pad.left - 6}" y="${round(y(t)) + 4}" text-anchor="end" class="reachable-chart__axis">${round(t)}${unit}</text><line x1="${pad.left}" x2="${W - pad.right}" y1="${round(y(t))}" y2="${round(y(t))}" class="reachable-chart__grid"/>`);
  const every = Math.ceil(opts.points.length / (opts.small ? 3 : 6));
  const labels = opts.points.map((p, i) => (i % every === 0 || i === opts.points.length - 1 ? `<text x="${round(x(i))}" y="${H - pad.bottom + 18}" text-anchor="middle" class="reachable-chart__axis">${esc(p.label)}</text>` : ''));
  const dots = opts.points.map((p, i) => (p.value === null ? '' : `<circle cx="${round(x(i))}" cy="${round(y(p.value))}" r="3" class="reachable-chart__dot"/>`));
  const target = opts.target === null || opts.target === undefined ? '' : `<line x1="${pad.left}" x2="${W - pad.right}" y1="${round(y(opts.target))}" y2="${round(y(opts.target))}" class="reachable-chart__target"/><text x="${W - pad.right}" y="${round(y(opts.target)) - 4}" text-anchor="end" class="reachable-chart__axis">Target ${round(opts.target)}${unit}</text>`;
  const size = opts.small ? ' reachable-chart--small' : '';
  const summary = opts.points.length ? opts.points.map((p) => `${p.label}: ${p.value === null ? 'no value' : round(p.value) + unit}`).join('; ') : 'No values yet';
  return `<svg class="reachable-chart${size}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`${opts.title}. ${summary}`)}" focusable="false">${ticks.join('')}${target}${segments.map((s) => `<polyline points="${s}" class="reachable-chart__line"/>`).join('')}${dots.join('')}${labels.join('')}</svg>`;
}

/** Horizontal bars, one per label, each with its number written beside it. */
export function barChart(opts: { title: string; bars: { label: string; value: number; tone?: string }[] }): string {
  const W = 640;
  const row = 28;
  const labelWidth = 200;
  const H = opts.bars.length * row + 8;
  const top = Math.max(1, ...opts.bars.map((b) => b.value));
  const bars = opts.bars.map((b, i) => {
    const w = ((W - labelWidth - 60) * b.value) / top;
    const yy = i * row + 4;
    return `<text x="${labelWidth - 8}" y="${yy + 17}" text-anchor="end" class="reachable-chart__axis">${esc(b.label)}</text><rect x="${labelWidth}" y="${yy}" width="${round(w)}" height="${row - 8}" class="reachable-chart__bar ${b.tone ? `reachable-chart__bar--${esc(b.tone)}` : ''}"/><text x="${labelWidth + round(w) + 6}" y="${yy + 17}" class="reachable-chart__axis">${b.value}</text>`;
  });
  const summary = opts.bars.map((b) => `${b.label}: ${b.value}`).join('; ');
  return `<svg class="reachable-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`${opts.title}. ${summary}`)}" focusable="false">${bars.join('')}</svg>`;
}
