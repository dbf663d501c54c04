// memory_chart.svg: memory over time against the cap, batch boundaries, and the moment of death. Plain SVG,
// made in code, readable at a glance in any browser.
import { escapeXml } from '../common/xml-escape.js';
import type { Tick } from '../run-files/memory-log.js';

export const MEMORY_CHART_FILE = 'memory_chart.svg';

export interface ChartInput {
  title: string;
  verdict: string;
  capMb: number;
  ticks: readonly Tick[];
  /** Seconds since the start at which a batch began flushing. */
  batchStartsS: readonly number[];
  /** Seconds since the start at which a worker died, with what to call it. */
  deaths: ReadonlyArray<{ atS: number; label: string }>;
}

const WIDTH = 960;
const MAX_DOTS = 300;
const HEIGHT = 480;
const MARGIN = { left: 70, right: 150, top: 50, bottom: 50 };

/** Round axis steps: 1, 2 or 5 times a power of ten, about `count` of them. */
export function niceStep(max: number, count = 5): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const factor = [1, 2, 5, 10].find((f) => f * power >= raw) ?? 10;
  return factor * power;
}

export function renderMemoryChart(input: ChartInput): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const lastS = Math.max(1, ...input.ticks.map((t) => t.elapsedMs / 1000), ...input.deaths.map((d) => d.atS));
  const maxMb = Math.max(input.capMb, ...input.ticks.map((t) => Math.max(t.rssSumMb, t.cgroupUsageMb ?? 0))) * 1.08;
  const x = (s: number) => MARGIN.left + (s / lastS) * plotW;
  const y = (mb: number) => MARGIN.top + plotH - (mb / maxMb) * plotH;
  const f = (n: number) => n.toFixed(1);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">${escapeXml(input.title)}</text>`,
    `<text x="${MARGIN.left}" y="40" fill="#444">verdict: ${escapeXml(input.verdict)}</text>`,
  );
  const yStep = niceStep(maxMb);
  for (let mb = 0; mb <= maxMb; mb += yStep) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${f(y(mb))}" y2="${f(y(mb))}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 8}" y="${f(y(mb) + 4)}" text-anchor="end">${mb}</text>`,
    );
  }
  const xStep = niceStep(lastS, 8);
  for (let s = 0; s <= lastS + 1e-9; s += xStep) {
    parts.push(
      `<line x1="${f(x(s))}" x2="${f(x(s))}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 5}" stroke="#888"/>`,
      `<text x="${f(x(s))}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${Number(s.toFixed(3))}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">seconds since the supervisor started</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">MiB</text>`,
  );
  for (const s of input.batchStartsS) {
    parts.push(`<line class="batch" x1="${f(x(s))}" x2="${f(x(s))}" y1="${MARGIN.top + plotH - 8}" y2="${MARGIN.top + plotH}" stroke="#2e7d32"/>`);
  }
  parts.push(
    `<line class="cap" x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${f(y(input.capMb))}" y2="${f(y(input.capMb))}" stroke="#d32f2f" stroke-width="2" stroke-dasharray="8 5"/>`,
    `<text x="${MARGIN.left + plotW - 6}" y="${f(y(input.capMb) - 6)}" text-anchor="end" fill="#d32f2f">cap ${input.capMb} MiB</text>`,
  );
  const series = (values: Array<[number, number]>, color: string, name: string) => {
    if (values.length === 0) return;
    const points = values.map(([s, mb]) => `${f(x(s))},${f(y(mb))}`).join(' ');
    parts.push(`<polyline class="${name}" points="${points}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`);
    // With few samples, dots show where the sampler really looked (gaps mean the supervisor was starved).
    if (values.length <= MAX_DOTS) {
      for (const [s, mb] of values) parts.push(`<circle cx="${f(x(s))}" cy="${f(y(mb))}" r="2.5" fill="${color}"/>`);
    }
  };
  series(
    input.ticks.filter((t) => t.cgroupUsageMb !== null).map((t) => [t.elapsedMs / 1000, t.cgroupUsageMb!]),
    '#1565c0',
    'cgroup',
  );
  series(input.ticks.map((t) => [t.elapsedMs / 1000, t.rssSumMb]), '#ef6c00', 'rss');
  for (const death of input.deaths) {
    parts.push(
      `<line class="death" x1="${f(x(death.atS))}" x2="${f(x(death.atS))}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#b71c1c" stroke-width="2"/>`,
      `<text x="${f(x(death.atS) - 4)}" y="${MARGIN.top + 14}" text-anchor="end" fill="#b71c1c" font-weight="bold">${escapeXml(death.label)}</text>`,
    );
  }
  const legendX = MARGIN.left + plotW + 12;
  const legend: Array<[string, string, string]> = [
    ['#1565c0', 'solid', 'cgroup usage'],
    ['#ef6c00', 'solid', 'RSS, all processes'],
    ['#d32f2f', 'dashed', 'memory cap'],
    ['#2e7d32', 'tick', 'batch flush starts'],
    ['#b71c1c', 'solid', 'worker death'],
  ];
  legend.forEach(([color, style, label], i) => {
    const ly = MARGIN.top + 40 + i * 20;
    parts.push(
      `<line x1="${legendX}" x2="${legendX + 18}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${style === 'dashed' ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<text x="${legendX + 24}" y="${ly + 4}">${label}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
