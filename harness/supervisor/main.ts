// The container's entry point: node supervisor/main.js /etc/oom-harness/run-config.json
import { readFileSync } from 'node:fs';
import { systemClock } from '../common/clock.js';
import { RunConfigSchema, CONTAINER_CONFIG_PATH, CONTAINER_OUT_DIR, type RunConfig } from '../common/run-config.js';
import { errorMessage } from '../common/harness-error.js';
import { EXIT_CODES, exitCodeForVerdict } from '../common/verdict.js';
import { runIngestWorkload } from '../workloads/ingest-runner.js';
import { runSyntheticWorkload } from '../workloads/synthetic-runner.js';
import { Supervisor, type WorkloadRunner } from './supervisor.js';

function workloadRunner(config: RunConfig): WorkloadRunner {
  switch (config.workload.kind) {
    case 'synthetic':
      return runSyntheticWorkload;
    case 'ingest':
      return runIngestWorkload;
  }
}

async function main(): Promise<void> {
  const configPath = process.argv[2] ?? CONTAINER_CONFIG_PATH;
  const config = RunConfigSchema.parse(JSON.parse(readFileSync(configPath, 'utf8')));
  const supervisor = new Supervisor(config, CONTAINER_OUT_DIR, systemClock);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => supervisor.interrupt(signal));
  const summary = await supervisor.run(workloadRunner(config));
  process.exitCode = summary.verdict ? exitCodeForVerdict(summary.verdict) : EXIT_CODES.harnessError;
}

main().catch((error: unknown) => {
  process.stderr.write(`oom-harness supervisor: ${errorMessage(error)}\n`);
  process.exitCode = EXIT_CODES.harnessError;
});
