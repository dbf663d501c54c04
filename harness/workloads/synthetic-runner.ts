// Supervisor side of the synthetic workload: start the workers, record the phases they announce.
import type { WorkloadRunner } from '../supervisor/supervisor.js';

export const runSyntheticWorkload: WorkloadRunner = async (context) => {
  const { workload, workers } = context.config;
  if (workload.kind !== 'synthetic') throw new Error(`expected a synthetic workload, got ${workload.kind}`);
  const started = Array.from({ length: workers }, () =>
    context.spawnWorker(() => ['synthetic', JSON.stringify(workload)], (message) => {
      if (message.type === 'phase') context.recordPhase(message.name, { rssBytes: message.rss_bytes, cgroupUsageBytes: message.cgroup_usage_bytes });
    }),
  );
  await Promise.all(started.map((worker) => worker.result));
};
