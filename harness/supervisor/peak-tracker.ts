// The peaks of a run's samples, each with its source: the processes' PSS summed (what adds up), anonymous PSS
// (what the cap is gated on), RSS summed (which counts shared pages once per process, shown but never gated),
// each process's largest RSS, VmHWM and VmSize, and the cgroup's usage as sampled.
import { bytesToMiB } from '../common/byte-size.js';
import type { TickSample } from '../run-files/memory-log.js';
import type { Summary } from '../run-files/summary.js';

type PeakFields = Pick<
  Summary,
  | 'peak_rss_mb'
  | 'peak_anon_rss_mb'
  | 'peak_rss_at_ms'
  | 'peak_rss_at'
  | 'peak_pss_mb'
  | 'peak_pss_anon_mb'
  | 'peak_pss_file_mb'
  | 'peak_pss_at_ms'
  | 'peak_pss_at'
  | 'supervisor_pss_mb'
  | 'pss_note'
  | 'peak_process_rss_mb'
  | 'peak_process'
  | 'peak_process_hwm_mb'
  | 'peak_process_vms_mb'
  | 'sampled_cgroup_peak_mb'
  | 'current_rss_mb'
  | 'current_pss_mb'
>;

const NO_PSS_NOTE = '/proc/<pid>/smaps_rollup could not be read (Linux 4.14+, same user): PSS figures are missing; RSS is shown instead';

export class PeakTracker {
  #rss = { bytes: 0, anonBytes: 0, atMs: null as number | null, atWallMs: null as number | null, currentBytes: 0 };
  #pss = { bytes: null as number | null, anonBytes: null as number | null, fileBytes: null as number | null, atMs: null as number | null, atWallMs: null as number | null };
  #currentPssBytes: number | null = null;
  #supervisorPssBytes: number | null = null;
  #pssMissing = false;
  #process: { bytes: number; pid: number; role: string; workerId: number | null } | null = null;
  #processHwmBytes = 0;
  #processVmsBytes = 0;
  #cgroupBytes: number | null = null;
  readonly #workers = new Map<number, { rss: number; hwm: number }>();

  record(sample: TickSample): void {
    let rss = 0;
    let anon = 0;
    let pss: number | null = 0;
    let pssAnon: number | null = 0;
    let pssFile: number | null = 0;
    let supervisorPss: number | null = null;
    for (const process of sample.processes) {
      const { rssBytes, hwmBytes, anonBytes, vmsBytes } = process.memory;
      rss += rssBytes;
      anon += anonBytes;
      const share = sample.shareRead ? process.share : null;
      if (sample.shareRead && !share) this.#pssMissing = true;
      pss = share && pss !== null ? pss + share.pssBytes : null;
      pssAnon = share?.pssAnonBytes != null && pssAnon !== null ? pssAnon + share.pssAnonBytes : null;
      pssFile = share?.pssFileBytes != null && pssFile !== null ? pssFile + share.pssFileBytes : null;
      if (process.role === 'supervisor') supervisorPss = share?.pssBytes ?? null;
      if (!this.#process || rssBytes > this.#process.bytes) this.#process = { bytes: rssBytes, pid: process.pid, role: process.role, workerId: process.workerId };
      this.#processHwmBytes = Math.max(this.#processHwmBytes, hwmBytes);
      this.#processVmsBytes = Math.max(this.#processVmsBytes, vmsBytes);
      if (process.workerId !== null) {
        const peaks = this.#workers.get(process.workerId) ?? { rss: 0, hwm: 0 };
        this.#workers.set(process.workerId, { rss: Math.max(peaks.rss, rssBytes), hwm: Math.max(peaks.hwm, hwmBytes) });
      }
    }
    this.#rss.currentBytes = rss;
    this.#rss.anonBytes = Math.max(this.#rss.anonBytes, anon);
    if (rss > this.#rss.bytes) this.#rss = { ...this.#rss, bytes: rss, atMs: sample.elapsedMs, atWallMs: sample.wallMs };
    if (!sample.shareRead) pss = pssAnon = pssFile = null;
    if (sample.shareRead) this.#currentPssBytes = pss;
    if (pss !== null && pss > (this.#pss.bytes ?? -1)) {
      this.#pss = { ...this.#pss, bytes: pss, atMs: sample.elapsedMs, atWallMs: sample.wallMs };
      this.#supervisorPssBytes = supervisorPss;
    }
    if (pssAnon !== null) this.#pss.anonBytes = Math.max(this.#pss.anonBytes ?? 0, pssAnon);
    if (pssFile !== null) this.#pss.fileBytes = Math.max(this.#pss.fileBytes ?? 0, pssFile);
    if (sample.cgroup) this.#cgroupBytes = Math.max(this.#cgroupBytes ?? 0, sample.cgroup.usageBytes);
  }

  workerPeak(workerId: number): { rssMb: number; hwmMb: number } | null {
    const peaks = this.#workers.get(workerId);
    return peaks ? { rssMb: bytesToMiB(peaks.rss), hwmMb: bytesToMiB(peaks.hwm) } : null;
  }

  /** The largest of the kernel-side figures sampled: what a share of the cap is worked out from. */
  get sampledCgroupPeakBytes(): number | null {
    return this.#cgroupBytes;
  }

  fields(): PeakFields {
    const mb = (bytes: number | null) => (bytes === null ? null : bytesToMiB(bytes));
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const round = (ms: number | null) => (ms === null ? null : Math.round(ms));
    return {
      peak_rss_mb: bytesToMiB(this.#rss.bytes),
      peak_anon_rss_mb: bytesToMiB(this.#rss.anonBytes),
      peak_rss_at_ms: round(this.#rss.atMs),
      peak_rss_at: iso(this.#rss.atWallMs),
      peak_pss_mb: mb(this.#pss.bytes),
      peak_pss_anon_mb: mb(this.#pss.anonBytes),
      peak_pss_file_mb: mb(this.#pss.fileBytes),
      peak_pss_at_ms: round(this.#pss.atMs),
      peak_pss_at: iso(this.#pss.atWallMs),
      supervisor_pss_mb: mb(this.#supervisorPssBytes),
      pss_note: this.#pssMissing ? NO_PSS_NOTE : null,
      peak_process_rss_mb: bytesToMiB(this.#process?.bytes ?? 0),
      peak_process: this.#process ? { pid: this.#process.pid, role: this.#process.role, worker_id: this.#process.workerId } : null,
      peak_process_hwm_mb: bytesToMiB(this.#processHwmBytes),
      peak_process_vms_mb: bytesToMiB(this.#processVmsBytes),
      sampled_cgroup_peak_mb: mb(this.#cgroupBytes),
      current_rss_mb: bytesToMiB(this.#rss.currentBytes),
      current_pss_mb: mb(this.#currentPssBytes),
    };
  }
}
