// min_cap_chart.svg: each probe's kernel peak against its cap, marked by verdict, with the line where the peak
// equals the cap (an OOM-killed probe sits on it) and the answer. Caps on a log axis: they were tried in
// geometric steps. Plain SVG on the shared plot, every text escaped there.
import { bytesToMiB } from '../common/byte-size.js';
import { SvgPlot } from '../bundle/svg-plot.js';
import type { MinCapJson } from './min-cap-summary.js';

export const MIN_CAP_CHART_FILE = 'min_cap_chart.svg';

const OOM = new Set(['cgroup-oom', 'heap-oom']);
const GUIDE_POINTS = 60;
/** Characters of the job's description the title has room for. */
const TITLE_CHARS = 80;

export function renderMinCapChart(json: MinCapJson): string {
  const points = json.probes.map((p) => ({ capMb: bytesToMiB(p.cap_bytes), peakMb: p.kernel_peak_mb, verdict: p.verdict }));
  const capsMb = points.map((p) => p.capMb).filter((mb) => Number.isFinite(mb) && mb > 0);
  const peaks = points.flatMap((p) => (p.peakMb !== null && Number.isFinite(p.peakMb) ? [p.peakMb] : []));
  const minCap = Math.min(...capsMb, bytesToMiB(json.search.from_bytes));
  const maxCap = Math.max(...capsMb, bytesToMiB(json.search.to_bytes), minCap * 2);
  const maxY = Math.max(1, ...peaks) * 1.15;
  const job = json.job.description.length > TITLE_CHARS ? `${json.job.description.slice(0, TITLE_CHARS - 3)}...` : json.job.description;
  const plot = new SvgPlot(`min-cap: ${job}`, json.answer, maxCap * 1.05, maxY, { logXFrom: minCap / 1.05 });
  plot.axes('cap (MiB, log scale)', 'kernel peak (MiB)');
  // Where peak = cap, up to the top of the plot: a probe killed for the cap peaks on this line.
  const top = Math.min(maxCap, maxY);
  const guide = Array.from({ length: GUIDE_POINTS + 1 }, (_, i) => minCap * (top / minCap) ** (i / GUIDE_POINTS)).map((mb) => [mb, mb] as const);
  if (top > minCap) plot.series('cap-line', guide, '#9e9e9e', 'peak = cap', true);
  const plotted = (keep: (verdict: string) => boolean) => points.flatMap((p) => (keep(p.verdict) && p.peakMb !== null ? [[p.capMb, p.peakMb] as const] : []));
  plot.marks('completed', plotted((v) => v === 'completed'), '#2e7d32', 'completed', 'dot');
  plot.marks('oom', plotted((v) => OOM.has(v)), '#c62828', 'OOM', 'cross');
  plot.marks('other', plotted((v) => v !== 'completed' && !OOM.has(v)), '#616161', 'other failure', 'cross');
  // The bracket's lower end is a cross just left of it, and the subtitle says both: one labelled line is enough.
  const safe = json.min_safe_cap_bytes;
  if (safe !== null) plot.events('answer', [{ at: bytesToMiB(safe), label: `completes at ${bytesToMiB(safe)} MiB` }], '#1565c0', 'the answer');
  return plot.render();
}
