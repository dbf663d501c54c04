// memory_chart.svg: memory over time against the cap, batch boundaries, and the moment of death. Plain SVG,
// made in code, readable at a glance in any browser.
import type { Tick } from '../run-files/memory-log.js';
import { SvgPlot } from './svg-plot.js';

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

export function renderMemoryChart(input: ChartInput): string {
  const lastS = Math.max(1, ...input.ticks.map((t) => t.elapsedMs / 1000), ...input.deaths.map((d) => d.atS));
  const maxMb = Math.max(input.capMb, ...input.ticks.map((t) => Math.max(t.rssSumMb, t.cgroupUsageMb ?? 0))) * 1.08;
  const plot = new SvgPlot(input.title, `verdict: ${input.verdict}`, lastS, maxMb);
  plot.axes('seconds since the supervisor started', 'MiB');
  plot.ticks('batch', input.batchStartsS, '#2e7d32', 'batch flush starts');
  plot.level('cap', input.capMb, '#d32f2f', `cap ${input.capMb} MiB`, 'memory cap');
  const seconds = (t: Tick) => t.elapsedMs / 1000;
  plot.series('cgroup', input.ticks.flatMap((t) => (t.cgroupUsageMb === null ? [] : [[seconds(t), t.cgroupUsageMb] as const])), '#1565c0', 'cgroup usage');
  plot.series('rss', input.ticks.map((t) => [seconds(t), t.rssSumMb] as const), '#ef6c00', 'RSS, all processes');
  plot.events('death', input.deaths.map((d) => ({ at: d.atS, label: d.label })), '#b71c1c', 'worker death');
  return plot.render();
}
