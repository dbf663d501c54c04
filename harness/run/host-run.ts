// The host side of one run: engine, image, capped container, and the verdict from what the kernel saw.
import { chownSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Docker from 'dockerode';
import { writeJsonAtomic } from '../common/atomic-file.js';
import { errorMessage } from '../common/harness-error.js';
import { RUN_CONFIG_FILE, type RunConfig } from '../common/run-config.js';
import type { Summary } from '../common/summary.js';
import { EXIT_CODES, exitCodeForVerdict, type Verdict } from '../common/verdict.js';
import { CappedContainer, type ContainerEndState } from '../container-runtime/capped-container.js';
import { containerInputPath, containerSpec } from '../container-runtime/container-spec.js';
import { connectEngine, describeEndpoint, readEngineInfo, type EngineInfo } from '../container-runtime/docker-client.js';
import { runLabels } from '../container-runtime/labels.js';
import { sweepLeftoverContainers } from '../container-runtime/reaper.js';
import { ensureImage, type ImageRef } from '../image/image-builder.js';
import type { CheckedInput } from '../input/check-input.js';
import { classifyContainer } from '../outcome/classify-container.js';
import { CONTAINER_MANIFEST_FILE, type ContainerManifest } from '../common/container-manifest.js';
import { writeBundle } from '../bundle/write-bundle.js';
import { durationMs, limitsOf, manifestEngine, manifestImage, manifestInput } from './container-manifest.js';
import type { ContainerUser } from './container-user.js';
import { readSummary } from './read-run-files.js';
import { makeRunId } from './run-id.js';

const PROGRESS_POLL_MS = 500;
const TMPFS_BYTES = 16 * 1024 * 1024;

export interface RunPlan {
  projectRoot: string;
  outDir: string;
  capBytes: number;
  capGiven: string;
  cpus: number;
  baseImage: string;
  pidsLimit: number;
  user: ContainerUser;
  input: CheckedInput | null;
  /** Everything of run-config.json but what the runner fills in itself. */
  config: Omit<RunConfig, 'schema' | 'run_id' | 'cap_bytes'>;
  command: string;
  harnessVersion: string;
  /** Pack the input PDF(s) into the bundle too. */
  includeInput: boolean;
}

export interface RunHooks {
  onProgress?: (summary: Summary) => void;
  onLog?: (line: string) => void;
  onRunDir?: (runDir: string) => void;
}

export interface RunOutcome {
  runId: string;
  runDir: string;
  verdict: Verdict;
  reason: string;
  exitCode: number;
  manifest: ContainerManifest;
  summary: Summary | null;
  /** The bug-report archive, or null when writing it failed (bundleError says why). */
  bundlePath: string | null;
  bundleError: string | null;
  warnings: string[];
  engine: EngineInfo;
  windowStartMs: number;
  windowEndMs: number;
}

export class HostRun {
  readonly runId: string;
  readonly runDir: string;
  readonly #plan: RunPlan;
  readonly #hooks: RunHooks;
  readonly #warnings: string[] = [];
  #interruptedBy: string | null = null;
  #container: CappedContainer | null = null;
  #started = false;

  constructor(plan: RunPlan, hooks: RunHooks = {}) {
    this.#plan = plan;
    this.#hooks = hooks;
    this.runId = makeRunId();
    this.runDir = resolve(plan.outDir, this.runId);
  }

  /** Stops the container (once), and lets run() finish writing what it can. */
  interrupt(signal: string): void {
    if (this.#interruptedBy) {
      // A second Ctrl-C: no more grace period, the container is killed now and still removed.
      this.#container?.kill().catch((error: unknown) => this.#warn(`killing the container failed: ${errorMessage(error)}`));
      return;
    }
    this.#interruptedBy = signal;
    // Before start() has returned, run() stops it right after; stopping a container not yet running does nothing.
    if (this.#started) this.#stopContainer();
  }

  #stopContainer(): void {
    const graceSeconds = Math.ceil(this.#plan.config.kill_grace_ms / 1000) + 5;
    this.#container?.stop(graceSeconds).catch((error: unknown) => this.#warn(`stopping the container failed: ${errorMessage(error)}`));
  }

  async run(): Promise<RunOutcome> {
    const runnerStartedMs = Date.now();
    const docker = await connectEngine();
    const [, engine] = await Promise.all([this.#sweep(docker), readEngineInfo(docker)]);
    const image = await ensureImage(docker, {
      projectRoot: this.#plan.projectRoot,
      baseImage: this.#plan.baseImage,
      onBuildStart: (tag) => this.#hooks.onLog?.(`building runtime image ${tag} from ${this.#plan.baseImage} (once per harness build)`),
    });
    this.#prepareRunDir();
    const config: RunConfig = { schema: 'oom-harness/run-config@1', run_id: this.runId, cap_bytes: this.#plan.capBytes, ...this.#plan.config };
    await writeJsonAtomic(join(this.runDir, RUN_CONFIG_FILE), config);
    const spec = this.#spec(image);

    let end: ContainerEndState | null = null;
    let applied: ContainerManifest['container']['applied'] = null;
    let engineError: string | null = null;
    let stopPolling: () => void = () => undefined;
    try {
      if (!this.#interruptedBy) {
        this.#container = await CappedContainer.create(docker, spec);
        if (!this.#interruptedBy) {
          await this.#container.start();
          this.#started = true;
          if (this.#interruptedBy) this.#stopContainer();
          stopPolling = this.#pollProgress();
          await this.#container.wait();
        }
        end = await this.#container.endState();
        applied = limitsOf(await this.#container.inspect().then((info) => ({ User: info.Config.User, HostConfig: info.HostConfig })));
      }
    } catch (error) {
      engineError = `the engine failed during the run: ${errorMessage(error)}`;
    } finally {
      stopPolling();
      if (this.#container) {
        await this.#container.remove().catch((error: unknown) => this.#warn(`removing container ${this.#container?.id} failed: ${errorMessage(error)}`));
      }
    }

    const summary = readSummary(this.runDir);
    const cgroupOomKills = summary ? Math.max(0, (summary.kernel.oom_kills_after ?? 0) - (summary.kernel.oom_kills_before ?? 0)) : null;
    const classification = classifyContainer({
      summary,
      end: end && { exitCode: end.exitCode, oomKilledByEngine: end.oomKilled, cgroupOomKills },
      interruptedBy: this.#interruptedBy,
      engineError,
    });
    const manifest: ContainerManifest = {
      schema: 'oom-harness/container-manifest@1',
      run_id: this.runId,
      command: this.#plan.command,
      input: manifestInput(this.#plan.input),
      cap_bytes: this.#plan.capBytes,
      cap_given: this.#plan.capGiven,
      cpus: this.#plan.cpus,
      image: manifestImage(image),
      engine: manifestEngine(describeEndpoint(), engine),
      container: { id: this.#container?.id ?? null, name: spec.name ?? '', requested: limitsOf(spec)!, applied },
      exit_code: end?.exitCode ?? null,
      oom_killed: end?.oomKilled ?? null,
      cgroup_oom_kills: cgroupOomKills,
      started_at: end?.startedAt ?? null,
      finished_at: end?.finishedAt ?? null,
      duration_ms: durationMs(end),
      verdict: classification.verdict,
      verdict_reason: classification.reason,
      cli_exit_code: exitCodeForVerdict(classification.verdict),
      interrupted_by: this.#interruptedBy,
      engine_error: engineError ?? end?.error ?? null,
      warnings: this.#warnings,
    };
    await writeJsonAtomic(join(this.runDir, CONTAINER_MANIFEST_FILE), manifest);

    return {
      runId: this.runId,
      runDir: this.runDir,
      verdict: classification.verdict,
      reason: classification.reason,
      exitCode: manifest.cli_exit_code,
      manifest,
      summary,
      bundlePath: null,
      bundleError: null,
      warnings: this.#warnings,
      engine,
      windowStartMs: end?.startedAt ? Date.parse(end.startedAt) : runnerStartedMs,
      windowEndMs: end?.finishedAt ? Date.parse(end.finishedAt) : Date.now(),
    };
  }

  /** Packs the run into <out>/<run-id>.tar.gz; `extraFiles` are files a command added to the run directory. */
  async writeBundle(outcome: RunOutcome, extraFiles: string[] = []): Promise<RunOutcome> {
    try {
      const bundle = await writeBundle({
        runDir: this.runDir,
        runId: this.runId,
        manifest: outcome.manifest,
        summary: outcome.summary,
        engine: outcome.engine,
        projectRoot: this.#plan.projectRoot,
        harnessVersion: this.#plan.harnessVersion,
        includeInput: this.#plan.includeInput ? this.#plan.input : null,
        windowStartMs: outcome.windowStartMs,
        windowEndMs: outcome.windowEndMs,
        extraFiles,
      });
      for (const warning of bundle.warnings) this.#warn(warning);
      return { ...outcome, bundlePath: bundle.path };
    } catch (error) {
      return { ...outcome, bundleError: errorMessage(error), exitCode: EXIT_CODES.harnessError };
    }
  }

  async #sweep(docker: Docker): Promise<void> {
    try {
      const swept = await sweepLeftoverContainers(docker);
      for (const container of swept) this.#hooks.onLog?.(`removed leftover container ${container.id.slice(0, 12)} of dead run ${container.runId}`);
    } catch (error) {
      this.#warn(`sweeping leftover containers failed: ${errorMessage(error)}`);
    }
  }

  #prepareRunDir(): void {
    mkdirSync(this.runDir, { recursive: true });
    const { user } = this.#plan;
    if (user.needsChown) chownSync(this.runDir, user.uid, user.gid);
    this.#hooks.onRunDir?.(this.runDir);
  }

  #spec(image: ImageRef): Docker.ContainerCreateOptions {
    const { input } = this.#plan;
    return containerSpec({
      image: image.tag,
      runId: this.runId,
      capBytes: this.#plan.capBytes,
      cpus: this.#plan.cpus,
      user: this.#plan.user.spec,
      pidsLimit: this.#plan.pidsLimit,
      tmpfsBytes: TMPFS_BYTES,
      labels: runLabels(this.runId),
      runDir: this.runDir,
      input: input && {
        hostPath: input.hostPath,
        containerPath: containerInputPath(input.files[0]?.name ?? '', input.isDirectory),
      },
    });
  }

  #pollProgress(): () => void {
    const onProgress = this.#hooks.onProgress;
    if (!onProgress) return () => undefined;
    const timer = setInterval(() => {
      const summary = readSummary(this.runDir);
      if (summary) onProgress(summary);
    }, PROGRESS_POLL_MS);
    return () => clearInterval(timer);
  }

  #warn(message: string): void {
    this.#warnings.push(message);
    this.#hooks.onLog?.(`warning: ${message}`);
  }
}
