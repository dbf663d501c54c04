import { bytesToMiB } from '../common/byte-size.js';
import type { MemoryLogRow } from './memory-log.js';
import type { TickSample } from './sampler.js';

export function memoryLogRows(sample: TickSample): MemoryLogRow[] {
  const timestamp = new Date(sample.wallMs).toISOString();
  const cgroup = sample.cgroup;
  return sample.processes.map((process) => ({
    timestamp,
    elapsed_ms: Math.round(sample.elapsedMs * 10) / 10,
    tick: sample.tick,
    pid: process.pid,
    role: process.role,
    worker_id: process.workerId,
    batch_id: process.batchId,
    rss_mb: bytesToMiB(process.memory.rssBytes),
    rss_anon_mb: bytesToMiB(process.memory.anonBytes),
    vms_mb: bytesToMiB(process.memory.vmsBytes),
    hwm_mb: bytesToMiB(process.memory.hwmBytes),
    cgroup_usage_mb: cgroup ? bytesToMiB(cgroup.usageBytes) : null,
    cgroup_peak_mb: cgroup?.peakBytes != null ? bytesToMiB(cgroup.peakBytes) : null,
    cgroup_oom_kills: cgroup?.oomKills ?? null,
  }));
}
