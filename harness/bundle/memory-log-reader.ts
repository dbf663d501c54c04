// Reads memory_log.csv back into ticks: the harness writes plain fields (numbers, ISO times, words), no quoting.
import { readFileSync } from 'node:fs';

export interface LogRow {
  timestamp: string;
  elapsedMs: number;
  tick: number;
  pid: number;
  role: string;
  workerId: number | null;
  batchId: number | null;
  rssMb: number;
  cgroupUsageMb: number | null;
}

export interface Tick {
  elapsedMs: number;
  rssSumMb: number;
  cgroupUsageMb: number | null;
}

export function parseMemoryLog(text: string): LogRow[] {
  const [header = '', ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  const index = (name: string) => columns.indexOf(name);
  const number = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value));
  return lines
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = line.split(',');
      return {
        timestamp: fields[index('timestamp')] ?? '',
        elapsedMs: Number(fields[index('elapsed_ms')]),
        tick: Number(fields[index('tick')]),
        pid: Number(fields[index('pid')]),
        role: fields[index('role')] ?? '',
        workerId: number(fields[index('worker_id')]),
        batchId: number(fields[index('batch_id')]),
        rssMb: Number(fields[index('rss_mb')]),
        cgroupUsageMb: number(fields[index('cgroup_usage_mb')]),
      };
    });
}

export function readMemoryLogFile(path: string): LogRow[] {
  try {
    return parseMemoryLog(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

/** One point per tick: the processes' RSS summed, and the cgroup's usage. */
export function ticksOf(rows: readonly LogRow[]): Tick[] {
  const byTick = new Map<number, Tick>();
  for (const row of rows) {
    const tick = byTick.get(row.tick) ?? { elapsedMs: row.elapsedMs, rssSumMb: 0, cgroupUsageMb: row.cgroupUsageMb };
    tick.rssSumMb += row.rssMb;
    byTick.set(row.tick, tick);
  }
  return [...byTick.values()].sort((a, b) => a.elapsedMs - b.elapsedMs);
}
