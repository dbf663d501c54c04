// A pod's entry point (an Indexed Job's container command), with no Docker engine:
//   node /opt/oom-harness/dist/harness/pod/main.js [--plan f] [--index n] [--out dir] [--run-id id]
// JOB_COMPLETION_INDEX, OOM_HARNESS_POD_PLAN and OOM_HARNESS_OUT stand in for the arguments.
import { errorMessage } from '../common/harness-error.js';
import { printable } from '../common/terminal-text.js';
import { EXIT_CODES } from '../common/verdict.js';
import { PodSettingsError, podSettings } from './pod-settings.js';
import { runPod } from './run-pod.js';

async function main(): Promise<void> {
  const settings = podSettings(process.argv.slice(2), process.env);
  const { runDir, manifest, exitCode } = await runPod(settings);
  const input = manifest.input?.name ?? '?';
  const ending = manifest.error ? `not run: ${manifest.error}` : `verdict ${manifest.verdict} (a local run would exit ${manifest.supervisor_exit_code})`;
  process.stderr.write(`oom-harness pod: ${printable(input)} under ${manifest.cap_given}: ${printable(ending)}\nrun directory: ${runDir}\n`);
  process.exitCode = exitCode;
}

main().catch((error: unknown) => {
  process.stderr.write(`oom-harness pod: ${printable(errorMessage(error))}\n`);
  process.exitCode = error instanceof PodSettingsError ? EXIT_CODES.usage : EXIT_CODES.harnessError;
});
