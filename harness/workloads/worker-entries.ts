// What a worker process runs, by the workload's kind: each loaded alone, so a worker loads neither the supervisor's
// side of its workload nor the other workloads. The exec workload has no workers: the supervisor runs its command.
import type { WorkerEntry } from './contract/workload.js';

const ENTRIES: Record<string, () => Promise<{ work: WorkerEntry }>> = {
  ingest: () => import('./ingest/worker-entry.js'),
  synthetic: () => import('./synthetic/worker-entry.js'),
};

export async function loadWorkerEntry(kind: unknown): Promise<WorkerEntry> {
  const load = typeof kind === 'string' && Object.hasOwn(ENTRIES, kind) ? ENTRIES[kind] : undefined;
  if (!load) throw new Error(`no worker runs the workload ${JSON.stringify(kind)}: expected ${Object.keys(ENTRIES).join(' or ')}`);
  return (await load()).work;
}
