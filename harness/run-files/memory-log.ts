// memory_log.csv: what one sample is, its columns, its writer (inside the container) and its reader (on the host).
// One row per process per tick; each column is one line below, with how its value comes from a sample.
import { closeSync, openSync, writeSync } from 'node:fs';
import { bytesToMiB } from '../common/byte-size.js';
import type { CgroupMemorySnapshot } from '../kernel/cgroup-memory.js';
import type { ProcessShare } from '../kernel/proc-smaps.js';
import type { ProcessMemory } from '../kernel/proc-status.js';
import { csvLines, parseCsv, type CsvValue } from './csv.js';
import type { RunDir } from './run-dir.js';
import { entryKind, readRegularFileTail } from './safe-fs.js';

export const MEMORY_LOG_FILE = 'memory_log.csv';
/** What the host reads of a log: its last 32 MiB (some 50 hours of one worker at 5 samples a second). */
const MAX_MEMORY_LOG_BYTES = 32 * 1024 * 1024;

export interface WatchedProcess {
  pid: number;
  /** A child is any other process in the container: a worker's, or a user command's tree. */
  role: 'supervisor' | 'worker' | 'child';
  workerId: number | null;
  batchId: number | null;
  /** The input file and page the worker is extracting (the ingest), else null. */
  fileIndex: number | null;
  page: number | null;
}

/** What one process's files said at one tick: /proc/<pid>/status, and smaps_rollup where it could be read. */
export interface ProcessReading {
  memory: ProcessMemory;
  share: ProcessShare | null;
  /** The command line, cut to 200 characters; null where it is not recorded (--no-argv). */
  argv: string | null;
}

export interface ProcessSample extends WatchedProcess, ProcessReading {}

/** One tick of the sampler: every watched process and the container's cgroup, read together. */
export interface TickSample {
  tick: number;
  scheduledMs: number;
  elapsedMs: number;
  wallMs: number;
  processes: ProcessSample[];
  /** Whether PSS was read at this tick (it is skipped while its cost is over the sampler's budget). */
  shareRead: boolean;
  cgroup: CgroupMemorySnapshot | null;
}

const mib = (bytes: number | null | undefined) => (bytes == null ? null : bytesToMiB(bytes));

type Column = readonly [name: string, value: (sample: TickSample, process: ProcessSample) => CsvValue];

const COLUMNS = [
  ['timestamp', (s) => new Date(s.wallMs).toISOString()],
  ['elapsed_ms', (s) => Math.round(s.elapsedMs * 10) / 10],
  ['tick', (s) => s.tick],
  ['pid', (_, p) => p.pid],
  ['ppid', (_, p) => p.memory.ppid],
  ['role', (_, p) => p.role],
  ['comm', (_, p) => p.memory.name],
  ['worker_id', (_, p) => p.workerId],
  ['batch_id', (_, p) => p.batchId],
  ['file_index', (_, p) => p.fileIndex],
  ['page', (_, p) => p.page],
  ['rss_mb', (_, p) => bytesToMiB(p.memory.rssBytes)],
  ['rss_anon_mb', (_, p) => bytesToMiB(p.memory.anonBytes)],
  ['vms_mb', (_, p) => bytesToMiB(p.memory.vmsBytes)],
  ['hwm_mb', (_, p) => bytesToMiB(p.memory.hwmBytes)],
  ['pss_mb', (_, p) => mib(p.share?.pssBytes)],
  ['pss_anon_mb', (_, p) => mib(p.share?.pssAnonBytes)],
  ['pss_file_mb', (_, p) => mib(p.share?.pssFileBytes)],
  ['cgroup_usage_mb', (s) => (s.cgroup ? bytesToMiB(s.cgroup.usageBytes) : null)],
  ['cgroup_peak_mb', (s) => (s.cgroup?.peakBytes != null ? bytesToMiB(s.cgroup.peakBytes) : null)],
  ['cgroup_oom_kills', (s) => s.cgroup?.oomKills ?? null],
  ['argv', (_, p) => p.argv],
] as const satisfies readonly Column[];

export type MemoryLogColumn = (typeof COLUMNS)[number][0];
export const MEMORY_LOG_COLUMNS: readonly MemoryLogColumn[] = COLUMNS.map(([name]) => name);

export function memoryLogRows(sample: TickSample): CsvValue[][] {
  return sample.processes.map((process) => COLUMNS.map(([, value]) => value(sample, process)));
}

export class MemoryLogWriter {
  readonly #fd: number;
  #closed = false;

  constructor(path: string) {
    this.#fd = openSync(path, 'a');
    writeSync(this.#fd, csvLines([MEMORY_LOG_COLUMNS]));
  }

  append(sample: TickSample): void {
    const rows = memoryLogRows(sample);
    // One write(2) per tick, as the tick ends: a SIGKILL loses at most the tick in progress.
    if (rows.length > 0) writeSync(this.#fd, csvLines(rows));
  }

  /** Closes the log; a second call does nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

/** A row as read back: every column by name, as text ('' where the writer had no value). */
export type MemoryLogRecord = Record<MemoryLogColumn, string>;

export function parseMemoryLog(text: string): MemoryLogRecord[] {
  return parseCsv(text).map((row) => Object.fromEntries(MEMORY_LOG_COLUMNS.map((name) => [name, row[name] ?? ''])) as MemoryLogRecord);
}

/**
 * The log the container wrote, or its last 32 MiB when it is longer (`truncated`); empty when there is none.
 * Throws when it is not a regular file.
 */
export function readMemoryLog(run: RunDir): MemoryLogRecord[] & { truncated?: boolean } {
  const path = run.containerFile(MEMORY_LOG_FILE);
  if (entryKind(path) === 'missing') return [];
  const tail = readRegularFileTail(path, MAX_MEMORY_LOG_BYTES);
  if (!tail.truncated) return parseMemoryLog(tail.text);
  // The first line of a tail is cut; the header is the writer's own, so it is known.
  const body = tail.text.slice(tail.text.indexOf('\n') + 1);
  return Object.assign(parseMemoryLog(`${MEMORY_LOG_COLUMNS.join(',')}\n${body}`), { truncated: true });
}

/** A number column, or null where it is empty or not a finite number (the container wrote the file). */
export function numberOf(record: MemoryLogRecord, column: MemoryLogColumn): number | null {
  const text = record[column];
  if (text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

export interface Tick {
  elapsedMs: number;
  rssSumMb: number;
  /** Null when any process's PSS could not be read at that tick. */
  pssSumMb: number | null;
  cgroupUsageMb: number | null;
}

/** One point per tick: the processes' RSS and PSS summed, and the cgroup's usage. */
export function ticksOf(records: readonly MemoryLogRecord[]): Tick[] {
  const byTick = new Map<string, Tick>();
  for (const record of records) {
    const tick = byTick.get(record.tick) ?? { elapsedMs: numberOf(record, 'elapsed_ms') ?? 0, rssSumMb: 0, pssSumMb: 0, cgroupUsageMb: numberOf(record, 'cgroup_usage_mb') };
    tick.rssSumMb += numberOf(record, 'rss_mb') ?? 0;
    const pss = numberOf(record, 'pss_mb');
    tick.pssSumMb = pss === null || tick.pssSumMb === null ? null : Math.round((tick.pssSumMb + pss) * 10) / 10;
    byTick.set(record.tick, tick);
  }
  return [...byTick.values()].sort((a, b) => a.elapsedMs - b.elapsedMs);
}

/** When each worker started on the first page of a range: the range boundaries along a run's time axis. */
export function rangeStarts(records: readonly MemoryLogRecord[], rangePages: number): Array<{ elapsedMs: number; page: number }> {
  const seen = new Set<string>();
  const starts: Array<{ elapsedMs: number; page: number }> = [];
  for (const record of records) {
    const page = numberOf(record, 'page');
    if (page === null || (page - 1) % rangePages !== 0) continue;
    const key = `${record.file_index}:${page}`;
    if (seen.has(key)) continue;
    seen.add(key);
    starts.push({ elapsedMs: numberOf(record, 'elapsed_ms') ?? 0, page });
  }
  return starts;
}
