// One capped run from start to bundle: the plan, the container, the checks a command makes afterwards, and the
// result object the CLI's --json prints. The library API and every CLI command go through here.
import { currentRunner } from '../container-runtime/runner-identity.js';
import { projectRoot } from '../common/project-root.js';
import { HARNESS_VERSION } from '../common/version.js';
import type { CheckedInput } from '../input/check-input.js';
import { prepareOutDir } from '../input/check-out-dir.js';
import type { RunOptions } from '../options/run-options.js';
import type { WorkloadSpec } from '../run-files/run-config.js';
import { CappedRun, type RunHooks, type RunOutcome } from '../run/capped-run.js';
import { currentContainerUser } from '../run/container-user.js';
import { currentContainerUlimits } from '../run/container-ulimits.js';
import { planRun, type ExecContainer, type MountedFile, type RunPlan } from '../run/plan-run.js';
import { makeRunId } from '../run/run-id.js';
import { resultObject, type RunResult } from './run-result.js';

export interface JobRequest {
  options: RunOptions;
  capGiven: string;
  input: CheckedInput | null;
  /** The workload's spec, given where its inputs are mounted. */
  workload: (inputs: MountedFile[]) => WorkloadSpec;
  /** The program as the user called it (run-in-docker, oom-harness, or the library). */
  programName: string;
  /** The arguments recorded in the manifest. */
  argv: string[];
  /** False with exec's --no-argv. */
  recordArgv?: boolean;
  /** exec: the user's image, mounts, environment, network and user. */
  exec?: ExecContainer;
  /** Checks a command makes on the finished run: they may write a report beside it and change the exit code. */
  afterRun?: (outcome: RunOutcome) => Promise<AfterRun>;
}

export interface AfterRun {
  /** Replaces the run's own exit code when set. */
  exitCode: number | null;
  /** Printed before the run's result by the CLI, unless --json. */
  text: string;
  json: Record<string, unknown>;
}

export interface JobHooks extends RunHooks {
  /** Aborting stops the container, as Ctrl-C does; the bundle is still written. */
  signal?: AbortSignal;
  /** Called once the run can be interrupted: the CLI wires its signals to it (a second interrupt kills at once). */
  onInterruptible?: (interrupt: (signal: string) => void) => void;
}

export interface JobOutcome {
  outcome: RunOutcome;
  exitCode: number;
  /** What --json prints. */
  result: RunResult;
  afterRunText: string;
}

function planFor(request: JobRequest): RunPlan {
  return planRun({
    runId: makeRunId(),
    outDir: prepareOutDir(request.options.out),
    options: request.options,
    capGiven: request.capGiven,
    input: request.input,
    workload: request.workload,
    user: currentContainerUser(),
    ulimits: currentContainerUlimits(),
    runner: currentRunner(),
    programName: request.programName,
    argv: request.argv,
    ...(request.recordArgv === undefined ? {} : { recordArgv: request.recordArgv }),
    ...(request.exec ? { exec: request.exec } : {}),
  });
}

/**
 * The caller's callbacks, made safe to call from the run's timers: one that throws (or returns a rejected promise)
 * must not take the process down with the container still running. Its failure becomes a process warning, once.
 */
export function guarded(hooks: JobHooks): JobHooks {
  const safe: JobHooks = { ...hooks };
  for (const name of ['onProgress', 'onLog', 'onNotice', 'onRunDir', 'onOutput'] as const) {
    const hook = hooks[name] as ((...args: unknown[]) => unknown) | undefined;
    if (!hook) continue;
    let warned = false;
    const warn = (error: unknown) => {
      if (!warned) process.emitWarning(`oom-harness: the ${name} callback failed, and is ignored from now on: ${error instanceof Error ? error.message : String(error)}`);
      warned = true;
    };
    (safe as Record<string, unknown>)[name] = (...args: unknown[]) => {
      if (warned) return;
      try {
        const result = hook(...args);
        if (result instanceof Promise) result.catch(warn);
      } catch (error) {
        warn(error);
      }
    };
  }
  return safe;
}

export async function runJob(request: JobRequest, given: JobHooks = {}): Promise<JobOutcome> {
  const hooks = guarded(given);
  const run = new CappedRun(planFor(request), hooks);
  const onAbort = () => run.interrupt('abort');
  if (hooks.signal?.aborted) onAbort();
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  hooks.onInterruptible?.((signal) => run.interrupt(signal));
  try {
    const ran = await run.start(projectRoot());
    const after = request.afterRun ? await request.afterRun(ran) : null;
    const outcome = await run.writeBundle(ran, projectRoot(), HARNESS_VERSION);
    const exitCode = after?.exitCode ?? outcome.exitCode;
    return { outcome, exitCode, result: { ...resultObject(outcome), ...after?.json, exit_code: exitCode }, afterRunText: after?.text ?? '' };
  } finally {
    run.dispose();
    hooks.signal?.removeEventListener('abort', onAbort);
  }
}
