// Who the kernel's OOM killer took: the processes that vanished between the two samples across which the cgroup's
// OOM-kill counter rose. (The kernel's own report names host pids; inside the container these are the pids the
// command's tree knows.)
import { bytesToMiB } from '../common/byte-size.js';
import type { ProcessSample, TickSample } from '../run-files/memory-log.js';
import type { Victim } from '../run-files/summary.js';

export class VictimFinder {
  #last: readonly ProcessSample[] = [];
  #lastKills: number | null = null;
  readonly victims: Victim[] = [];

  record(sample: TickSample): void {
    const kills = sample.cgroup?.oomKills ?? null;
    if (kills !== null && this.#lastKills !== null && kills > this.#lastKills) {
      const alive = new Set(sample.processes.map((process) => process.pid));
      for (const process of this.#last) {
        if (alive.has(process.pid)) continue;
        this.victims.push({
          pid: process.pid,
          ppid: process.memory.ppid,
          comm: process.memory.name,
          argv: process.argv,
          role: process.role,
          last_rss_mb: bytesToMiB(process.memory.rssBytes),
          last_pss_mb: process.share ? bytesToMiB(process.share.pssBytes) : null,
          gone_by: new Date(sample.wallMs).toISOString(),
        });
      }
    }
    if (kills !== null) this.#lastKills = kills;
    this.#last = sample.processes;
  }
}
