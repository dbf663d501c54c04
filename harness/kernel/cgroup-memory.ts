// Pure readers of the memory controller's files, for cgroup v1 and v2, over an injected file reader.
import { parseKeyedCounters, parseSingleValue } from './keyed-counters.js';

export type CgroupVersion = 1 | 2;

export interface CgroupMemorySnapshot {
  version: CgroupVersion;
  usageBytes: number;
  /** High-water mark; null where the kernel keeps none (v2 before 5.19 has no memory.peak). */
  peakBytes: number | null;
  peakSource: 'memory.max_usage_in_bytes' | 'memory.peak' | null;
  limitBytes: number | null;
  /** Times the cgroup hit its limit and entered OOM (v2 memory.events "oom"; v1 has no counter: null). */
  oomEvents: number | null;
  /** Processes killed by the OOM killer in this cgroup. */
  oomKills: number | null;
  /** v1 only: times usage hit the limit. */
  failcnt: number | null;
  underOom: boolean | null;
  /** Anonymous and page-cache parts of usage, from memory.stat. */
  anonBytes: number | null;
  fileBytes: number | null;
}

/** Reads one file of the cgroup directory; returns null when the file does not exist. */
export type CgroupFileReader = (name: string) => string | null;

export const V1_UNLIMITED_THRESHOLD = 2 ** 62;

/** `tick` reads only what every sample needs (usage, peak, OOM counters); `full` adds limit, failcnt and memory.stat. */
export type CgroupReadDepth = 'tick' | 'full';

export function readCgroupV1Memory(read: CgroupFileReader, depth: CgroupReadDepth = 'full'): CgroupMemorySnapshot {
  const full = depth === 'full';
  const usage = requireValue(read, 'memory.usage_in_bytes');
  const peak = optionalValue(read, 'memory.max_usage_in_bytes');
  const limit = full ? optionalValue(read, 'memory.limit_in_bytes') : null;
  const oomControlText = read('memory.oom_control');
  const oomControl = oomControlText === null ? null : parseKeyedCounters(oomControlText);
  const stat = full ? readStat(read) : null;
  return {
    version: 1,
    usageBytes: usage,
    peakBytes: peak,
    peakSource: peak === null ? null : 'memory.max_usage_in_bytes',
    limitBytes: limit === null || limit >= V1_UNLIMITED_THRESHOLD ? null : limit,
    oomEvents: null,
    // oom_kill in memory.oom_control exists since Linux 4.13.
    oomKills: oomControl?.get('oom_kill') ?? null,
    failcnt: full ? optionalValue(read, 'memory.failcnt') : null,
    underOom: oomControl?.has('under_oom') ? oomControl.get('under_oom') === 1 : null,
    anonBytes: stat?.get('total_rss') ?? stat?.get('rss') ?? null,
    fileBytes: stat?.get('total_cache') ?? stat?.get('cache') ?? null,
  };
}

export function readCgroupV2Memory(read: CgroupFileReader, depth: CgroupReadDepth = 'full'): CgroupMemorySnapshot {
  const full = depth === 'full';
  const usage = requireValue(read, 'memory.current');
  // memory.peak appeared in Linux 5.19; before that there is no high-water mark to report.
  const peak = optionalValue(read, 'memory.peak');
  const eventsText = read('memory.events');
  const events = eventsText === null ? null : parseKeyedCounters(eventsText);
  const stat = full ? readStat(read) : null;
  const maxText = full ? read('memory.max') : null;
  return {
    version: 2,
    usageBytes: usage,
    peakBytes: peak,
    peakSource: peak === null ? null : 'memory.peak',
    limitBytes: maxText === null ? null : parseSingleValue(maxText),
    oomEvents: events?.get('oom') ?? null,
    oomKills: events?.get('oom_kill') ?? null,
    failcnt: null,
    underOom: null,
    anonBytes: stat?.get('anon') ?? null,
    fileBytes: stat?.get('file') ?? null,
  };
}

export function readCgroupMemory(version: CgroupVersion, read: CgroupFileReader, depth: CgroupReadDepth = 'full'): CgroupMemorySnapshot {
  return version === 1 ? readCgroupV1Memory(read, depth) : readCgroupV2Memory(read, depth);
}

function readStat(read: CgroupFileReader): Map<string, number> | null {
  const text = read('memory.stat');
  return text === null ? null : parseKeyedCounters(text);
}

function requireValue(read: CgroupFileReader, name: string): number {
  const text = read(name);
  if (text === null) throw new Error(`${name} is missing from the cgroup directory`);
  const value = parseSingleValue(text);
  if (value === null) throw new Error(`${name} holds "max", expected a byte count`);
  return value;
}

function optionalValue(read: CgroupFileReader, name: string): number | null {
  const text = read(name);
  return text === null ? null : parseSingleValue(text);
}
