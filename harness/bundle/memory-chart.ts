// memory_chart.svg: memory over time against the cap, as the kernel and the processes' real share (PSS) saw it,
// with the V8 heap limit, page-range boundaries, batch flushes and the moment of death. Plain SVG, made in code.
import type { Tick } from '../run-files/memory-log.js';
import { SvgPlot } from './svg-plot.js';

export const MEMORY_CHART_FILE = 'memory_chart.svg';

export interface ChartInput {
  title: string;
  verdict: string;
  capMb: number;
  /** The V8 heap limit each worker was given, or null. */
  heapLimitMb: number | null;
  ticks: readonly Tick[];
  /** Seconds since the start at which a batch began flushing. */
  batchStartsS: readonly number[];
  /** Seconds since the start at which a worker began a page range, and its first page. */
  rangeStarts: ReadonlyArray<{ atS: number; page: number }>;
  /** Seconds since the start at which a worker died, with what to call it. */
  deaths: ReadonlyArray<{ atS: number; label: string }>;
}

/** At most `limit` points: each bucket of neighbouring ticks keeps its highest figures, so no peak is lost. */
export function downsample(ticks: readonly Tick[], limit = 2000): Tick[] {
  if (ticks.length <= limit) return [...ticks];
  const size = Math.ceil(ticks.length / limit);
  const kept: Tick[] = [];
  for (let i = 0; i < ticks.length; i += size) {
    const bucket = ticks.slice(i, i + size);
    const max = (pick: (t: Tick) => number | null) => bucket.reduce<number | null>((m, t) => (pick(t) === null ? m : Math.max(m ?? -Infinity, pick(t)!)), null);
    kept.push({ elapsedMs: bucket[0]!.elapsedMs, rssSumMb: max((t) => t.rssSumMb) ?? 0, pssSumMb: max((t) => t.pssSumMb), cgroupUsageMb: max((t) => t.cgroupUsageMb) });
  }
  return kept;
}

export function renderMemoryChart(chart: ChartInput): string {
  const input = { ...chart, ticks: downsample(chart.ticks) };
  const seconds = (t: Tick) => t.elapsedMs / 1000;
  const withPss = input.ticks.some((t) => t.pssSumMb !== null);
  const processes = input.ticks.flatMap((t) => {
    const mb = withPss ? t.pssSumMb : t.rssSumMb;
    return mb === null ? [] : [[seconds(t), mb] as const];
  });
  const lastS = Math.max(1, ...input.ticks.map(seconds), ...input.deaths.map((d) => d.atS));
  const maxMb = Math.max(input.capMb, ...processes.map(([, mb]) => mb), ...input.ticks.map((t) => t.cgroupUsageMb ?? 0)) * 1.08;
  const plot = new SvgPlot(input.title, `verdict: ${input.verdict}`, lastS, maxMb);
  plot.axes('seconds since the supervisor started', 'MiB');
  plot.ticks('range', input.rangeStarts.map((r) => r.atS), '#6a1b9a', 'page range starts');
  plot.ticks('batch', input.batchStartsS, '#2e7d32', 'batch flush starts');
  plot.level('cap', input.capMb, '#d32f2f', `cap ${input.capMb} MiB`, 'memory cap');
  if (input.heapLimitMb !== null && input.heapLimitMb < maxMb) {
    plot.level('heap-limit', input.heapLimitMb, '#8d6e63', `V8 heap limit ${input.heapLimitMb} MiB`, 'V8 heap limit, per worker');
  }
  plot.series('cgroup', input.ticks.flatMap((t) => (t.cgroupUsageMb === null ? [] : [[seconds(t), t.cgroupUsageMb] as const])), '#1565c0', 'cgroup usage (kernel)');
  plot.series(withPss ? 'pss' : 'rss', processes, '#ef6c00', withPss ? 'PSS, all processes' : 'RSS, all processes (no PSS)');
  plot.events('death', input.deaths.map((d) => ({ at: d.atS, label: d.label })), '#b71c1c', 'worker death');
  return plot.render();
}
