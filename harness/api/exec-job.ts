// The user's own command as a job: exec's options parsed, mounts and environment resolved, and the exit-code
// passthrough, the same way for the CLI and the library.
import { execCheck } from '../checks/exec-check.js';
import { checkJunitTarget, renderJunit } from '../checks/junit.js';
import { prepareOutDir } from '../input/check-out-dir.js';
import { replaceFile } from '../run-files/safe-fs.js';
import { parseOptions } from '../options/parse-options.js';
import { RUN_DEFAULTS, runOptionsSchema } from '../options/run-options.js';
import type { RunOutcome } from '../run/capped-run.js';
import { execOptionsSchema, parseMounts, resolveEnv } from '../workloads/exec/options.js';
import type { ExecSpec } from '../workloads/exec/spec.js';
import type { AfterRun, JobRequest } from './run-job.js';

/** The harness's own codes stay for what only it can tell; the command's code otherwise (--exit-code passthrough). */
function passthrough(outcome: RunOutcome): Pick<AfterRun, 'exitCode' | 'json'> {
  const own = ['cgroup-oom', 'heap-oom', 'timeout', 'interrupted', 'engine-error'].includes(outcome.verdict);
  const code = outcome.summary?.workers[0]?.exit_code ?? null;
  // The summary is the container's word: only an exit code a process can have is passed on.
  const usable = code !== null && Number.isInteger(code) && code >= 0 && code <= 255;
  return { exitCode: own || !usable ? outcome.exitCode : code, json: { command_exit_code: code } };
}

/** --junit: one testcase, passing when the command completed under the cap. */
function writeExecJunit(outcome: RunOutcome, junit: string, startedMs: number): void {
  const properties = { run_id: outcome.runId, cap_bytes: String(outcome.manifest.cap_bytes), verdict: outcome.verdict, run_dir: outcome.runDir };
  const checks = [execCheck(outcome.manifest, outcome.summary)];
  const durationS = (Date.now() - startedMs) / 1000;
  replaceFile(junit, renderJunit({ name: 'oom-harness exec', timestamp: new Date(startedMs).toISOString(), durationS, properties, checks }));
}

function afterExec(exitCode: 'harness' | 'passthrough', junit: string | null): JobRequest['afterRun'] {
  if (exitCode === 'harness' && junit === null) return undefined;
  const startedMs = Date.now();
  return async (outcome: RunOutcome) => {
    const own = exitCode === 'passthrough' ? passthrough(outcome) : { exitCode: null, json: {} };
    if (junit !== null) writeExecJunit(outcome, junit, startedMs);
    return { exitCode: own.exitCode, text: '', json: { ...own.json, ...(junit !== null ? { junit } : {}) } };
  };
}

/** `raw` holds option values as the CLI gives them (strings, booleans, repeated flags as arrays), defaults included. */
export function execJob(cap: string, argv: string[], raw: Record<string, unknown>): Omit<JobRequest, 'argv'> {
  const exec = parseOptions(execOptionsSchema, {
    ...raw,
    mount: raw.mount ?? [],
    env: raw.env ?? [],
    image: raw.image ?? null,
    workdir: raw.workdir ?? null,
    envFile: raw.envFile ?? null,
    user: raw.user ?? null,
    junit: raw.junit ?? null,
  });
  const options = parseOptions(
    runOptionsSchema(),
    { ...raw, capBytes: cap, baseImage: RUN_DEFAULTS.baseImage, workers: '1', workerHeapMb: 'off', onWorkerDeath: 'stop', workerTimeoutMs: exec.timeoutMs },
    { capBytes: 'cap', workerTimeoutMs: '--timeout-ms' },
  );
  const mounts = parseMounts(exec.mount, prepareOutDir(options.out));
  if (exec.junit !== null) checkJunitTarget(exec.junit);
  const afterRun = afterExec(exec.exitCode, exec.junit);
  const env = resolveEnv(exec.env, exec.envFile);
  const envNames = env.map((entry) => entry.slice(0, entry.indexOf('=')));
  const spec: ExecSpec = { kind: 'exec', command: argv, cwd: exec.workdir, env_names: envNames, image: exec.image ?? 'oom-harness (its own runtime image)' };
  return {
    options,
    capGiven: cap,
    input: null,
    workload: () => spec,
    programName: 'oom-harness',
    recordArgv: exec.argv,
    exec: {
      image: exec.image,
      mounts: mounts.map((m) => ({ source: m.source, target: m.target, readOnly: m.readOnly })),
      env,
      network: exec.network,
      user: exec.user,
      keepEntrypoint: exec.entrypoint === 'keep',
    },
    ...(afterRun ? { afterRun } : {}),
  };
}
