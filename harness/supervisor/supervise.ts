// One supervised run from a validated run-config: the workload found by its kind, SIGTERM and SIGINT handed to the
// supervisor, the final summary returned. The container's entry point and a pod's both start here.
import { systemClock } from '../common/clock.js';
import type { RunConfig } from '../run-files/run-config.js';
import type { Summary } from '../run-files/summary.js';
import { findWorkload } from '../workloads/registry.js';
import type { EarlyStart } from './early-start.js';
import { Supervisor } from './supervisor.js';

/**
 * `configPath` is where the workers read the same config; `outDir` is the directory the supervisor writes; `early`,
 * what the container's entry point started before the supervisor loaded.
 */
export async function supervise(config: RunConfig, configPath: string, outDir: string, early?: EarlyStart): Promise<Summary> {
  const workload = findWorkload(config.workload.kind);
  const spec = workload.specSchema.parse(config.workload);
  const supervisor = new Supervisor(config, configPath, outDir, systemClock, early);
  // Left in place after the run: a late signal must not end the process before its last files are written.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => supervisor.interrupt(signal));
  const signalledEarly = early?.signalBeforeTakeover;
  if (signalledEarly) supervisor.interrupt(signalledEarly);
  return supervisor.run((context) => workload.coordinate(context, spec));
}
