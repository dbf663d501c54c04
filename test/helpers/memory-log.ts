import { readFileSync } from 'node:fs';

export type MemoryRow = Record<string, string>;

/** memory_log.csv as records; the harness writes no quoted fields, so a split is enough here. */
export function readMemoryLog(path: string): MemoryRow[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i]!, value])));
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
