// Who the kernel's OOM killer took: when the cgroup's OOM-kill counter rises, the processes sampled just before
// that vanish over the next few samples are its victims, as many as it counted. (The counter can rise while the
// victim is still being torn down, so the search lasts some ticks; the kernel's own report names host pids.)
import { bytesToMiB } from '../common/byte-size.js';
import type { ProcessSample, TickSample } from '../run-files/memory-log.js';
import type { Victim } from '../run-files/summary.js';

const SEARCH_TICKS = 10;

export class VictimFinder {
  #last: readonly ProcessSample[] = [];
  #lastKills: number | null = null;
  #search: { candidates: Map<number, ProcessSample>; remaining: number; ticks: number } | null = null;
  readonly victims: Victim[] = [];

  record(sample: TickSample): void {
    const kills = sample.cgroup?.oomKills ?? null;
    if (kills !== null && this.#lastKills !== null && kills > this.#lastKills) {
      const candidates = this.#search?.candidates ?? new Map<number, ProcessSample>();
      for (const process of [...this.#last, ...sample.processes]) if (process.role !== 'supervisor') candidates.set(process.pid, process);
      this.#search = { candidates, remaining: (this.#search?.remaining ?? 0) + kills - this.#lastKills, ticks: SEARCH_TICKS };
    }
    if (kills !== null) this.#lastKills = kills;
    this.#last = sample.processes;
    const search = this.#search;
    if (!search) return;
    const alive = new Set(sample.processes.map((process) => process.pid));
    for (const [pid, process] of search.candidates) {
      if (alive.has(pid) || search.remaining === 0) continue;
      search.candidates.delete(pid);
      search.remaining -= 1;
      this.victims.push(victimOf(process, sample.wallMs));
    }
    search.ticks -= 1;
    if (search.remaining === 0 || search.ticks === 0) this.#search = null;
  }
}

function victimOf(process: ProcessSample, goneByWallMs: number): Victim {
  return {
    pid: process.pid,
    ppid: process.memory.ppid,
    comm: process.memory.name,
    argv: process.argv,
    role: process.role,
    last_rss_mb: bytesToMiB(process.memory.rssBytes),
    last_pss_mb: process.share ? bytesToMiB(process.share.pssBytes) : null,
    gone_by: new Date(goneByWallMs).toISOString(),
  };
}
