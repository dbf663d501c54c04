// The container's entry point: node supervisor/main.js /etc/oom-harness/run-config.json
// Only what sampling needs is imported here: the sampler and an ingest run's first worker start at once (early-start.ts),
// and the rest of the supervisor, with zod, loads while they run.
import { readFileSync } from 'node:fs';
import { CONTAINER_CONFIG_PATH, CONTAINER_OUT_DIR } from '../run-files/container-paths.js';
import { errorMessage } from '../common/harness-error.js';
import { EXIT_CODES, exitCodeForVerdict } from '../common/verdict.js';
import { EarlyStart, earlyFields } from './early-start.js';

async function main(): Promise<void> {
  const configPath = process.argv[2] ?? CONTAINER_CONFIG_PATH;
  const raw: unknown = JSON.parse(readFileSync(configPath, 'utf8'));
  const fields = earlyFields(raw);
  const early = fields ? new EarlyStart(fields, configPath, CONTAINER_OUT_DIR, { startWorker: true }) : null;
  // Until the supervisor has loaded, a stop is held for it rather than ending the process without a summary.
  if (early) for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => early.noteSignal(signal));
  try {
    const [{ RunConfigSchema }, { supervise }] = await Promise.all([import('../run-files/run-config.js'), import('./supervise.js')]);
    const config = RunConfigSchema.parse(raw);
    const summary = await supervise(config, configPath, CONTAINER_OUT_DIR, early ?? undefined);
    process.exitCode = summary.verdict ? exitCodeForVerdict(summary.verdict) : EXIT_CODES.harnessError;
  } catch (error) {
    early?.abandon();
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`oom-harness supervisor: ${errorMessage(error)}\n`);
  process.exitCode = EXIT_CODES.harnessError;
});
