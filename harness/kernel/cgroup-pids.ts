// How often a fork failed at the container's pids limit: pids.events "max" (v1 and v2 alike), read from the
// container's own pids cgroup as mounted inside it.
import { readFileSync } from 'node:fs';
import { parseKeyedCounters } from './keyed-counters.js';

const CANDIDATES = ['/sys/fs/cgroup/pids/pids.events', '/sys/fs/cgroup/pids.events'];
export const PIDS_CURRENT_CANDIDATES = ['/sys/fs/cgroup/pids/pids.current', '/sys/fs/cgroup/pids.current'];

export function parsePidsEvents(text: string): number | null {
  return parseKeyedCounters(text).get('max') ?? null;
}

/** pids.current: the tasks (processes and threads) in the container now; null where it cannot be read. */
export function readPidsCurrent(
  candidates: readonly string[] = PIDS_CURRENT_CANDIDATES,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): number | null {
  for (const path of candidates) {
    try {
      const value = Number(read(path).trim());
      if (Number.isInteger(value)) return value;
    } catch {
      // not this one
    }
  }
  return null;
}

export function readPidsLimitHits(candidates: readonly string[] = CANDIDATES): number | null {
  for (const path of candidates) {
    try {
      return parsePidsEvents(readFileSync(path, 'utf8'));
    } catch {
      // not this one
    }
  }
  return null;
}
