// What the supervisor reads of the processes around it: inside the container, /proc lists the container's own
// processes only, so every one of them is watched, whoever started it.
import { readFileSync, readdirSync } from 'node:fs';
import { PIDS_CURRENT_CANDIDATES, readPidsCurrent } from '../kernel/cgroup-pids.js';
import { KeptFiles } from '../kernel/kept-files.js';
import { parseSmapsRollup, type ProcessShare } from '../kernel/proc-smaps.js';
import { parseProcStatus, type ProcessMemory } from '../kernel/proc-status.js';
import type { ProcessReading } from '../run-files/memory-log.js';

const MAX_ARGV_CHARS = 200;

/** /proc/<pid>/status of every watched process, read on every tick: kept open until the process is gone. */
const kept = new KeptFiles();

/** /proc/<pid>/status; smaps_rollup for PSS where asked and readable (our own uid, Linux 4.14+); the command line. */
export function readProcess(pid: number, withShare: boolean, withArgv: boolean): ProcessReading | null {
  let memory: ProcessMemory | null;
  try {
    memory = parseProcStatus(kept.read(`/proc/${pid}/status`));
  } catch {
    return null;
  }
  if (!memory) return null;
  let share: ProcessShare | null = null;
  if (withShare) {
    try {
      // Opened afresh each time: read rarely (budgeted), and a kept one would still describe the memory a process had
      // before it exec'd.
      share = parseSmapsRollup(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    } catch {
      share = null;
    }
  }
  return { memory, share, argv: withArgv ? cachedArgv(pid) : null };
}

const argvCache = new Map<number, string | null>();

/** A process's command line, read once: it rarely changes, and reading it every tick costs. */
export function cachedArgv(pid: number): string | null {
  if (!argvCache.has(pid)) argvCache.set(pid, readArgv(pid));
  return argvCache.get(pid) ?? null;
}

/** Forgets processes that are gone, and closes their files, so a reused pid is read afresh. */
export function forgetArgv(alive: ReadonlySet<number>): void {
  for (const pid of argvCache.keys()) if (!alive.has(pid)) argvCache.delete(pid);
  kept.closeUnder('/proc/', (path) => alive.has(Number(path.split('/')[2])));
}

export function readArgv(pid: number): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
    return text.length > MAX_ARGV_CHARS ? `${text.slice(0, MAX_ARGV_CHARS - 3)}...` : text;
  } catch {
    return null;
  }
}

/** Every process id in this pid namespace, in order. */
export function processIds(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}

/** The last pid handed out in this pid namespace: how many processes were started, counting those never sampled. */
export function lastPid(): number | null {
  try {
    const value = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
    return Number.isInteger(value) ? value : null;
  } catch {
    return null;
  }
}

const LIST_EVERY_CALLS = 5;

/**
 * The container's processes from /proc, listed again whenever the pids cgroup's task count changed (a process
 * started or ended, so none is missed) and at least every fifth tick; otherwise the last listing stands.
 */
export class ContainerProcesses {
  #listed: number[] | null = null;
  #calls = 0;
  #tasks: number | null = null;
  /** Where pids.current is (v1 or v2), once found: the other place is not tried again on every tick. */
  #pidsCurrentPath: readonly string[] = PIDS_CURRENT_CANDIDATES;
  readonly #files = new KeptFiles();

  /** Every pid but init (pid 1) and those `known` already. */
  others(known: ReadonlySet<number>): number[] {
    const tasks = this.#readTasks();
    const changed = tasks === null || tasks !== this.#tasks;
    this.#tasks = tasks;
    if (this.#listed === null || changed || ++this.#calls >= LIST_EVERY_CALLS) {
      this.#listed = processIds();
      this.#calls = 0;
      forgetArgv(new Set(this.#listed));
    }
    return this.#listed.filter((pid) => pid !== 1 && !known.has(pid));
  }

  #readTasks(): number | null {
    for (const path of this.#pidsCurrentPath) {
      const tasks = readPidsCurrent([path], (file) => this.#files.read(file));
      if (tasks === null) continue;
      this.#pidsCurrentPath = [path];
      return tasks;
    }
    return null;
  }
}
