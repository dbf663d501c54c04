// The container's entry point: node supervisor/main.js /etc/oom-harness/run-config.json
import { readFileSync } from 'node:fs';
import { RunConfigSchema, CONTAINER_CONFIG_PATH, CONTAINER_OUT_DIR } from '../run-files/run-config.js';
import { errorMessage } from '../common/harness-error.js';
import { EXIT_CODES, exitCodeForVerdict } from '../common/verdict.js';
import { supervise } from './supervise.js';

async function main(): Promise<void> {
  const configPath = process.argv[2] ?? CONTAINER_CONFIG_PATH;
  const config = RunConfigSchema.parse(JSON.parse(readFileSync(configPath, 'utf8')));
  const summary = await supervise(config, configPath, CONTAINER_OUT_DIR);
  process.exitCode = summary.verdict ? exitCodeForVerdict(summary.verdict) : EXIT_CODES.harnessError;
}

main().catch((error: unknown) => {
  process.stderr.write(`oom-harness supervisor: ${errorMessage(error)}\n`);
  process.exitCode = EXIT_CODES.harnessError;
});
