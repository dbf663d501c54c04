// The host side of one run: engine, image, capped container, and the verdict from what the kernel saw.
import { readdirSync } from 'node:fs';
import type Docker from 'dockerode';
import { bytesToMiB, formatBytes } from '../common/byte-size.js';
import { HarnessError, errorMessage } from '../common/harness-error.js';
import { RUN_CONFIG_FILE, type RunConfig } from '../common/run-config.js';
import type { Summary } from '../common/summary.js';
import { exitCodeForVerdict, type Verdict } from '../common/verdict.js';
import { CappedContainer, type ContainerEndState } from '../container-runtime/capped-container.js';
import { containerInputPath, containerSpec } from '../container-runtime/container-spec.js';
import { connectEngine, describeEndpoint, readEngineInfo, type EngineInfo } from '../container-runtime/docker-client.js';
import { runLabels } from '../container-runtime/labels.js';
import { sweepLeftoverContainers, type SweptContainer } from '../container-runtime/reaper.js';
import { currentRunner } from '../container-runtime/runner-identity.js';
import { ensureImage, type ImageRef } from '../image/image-builder.js';
import type { CheckedInput } from '../input/check-input.js';
import { classifyContainer } from '../outcome/classify-container.js';
import { CONTAINER_MANIFEST_FILE, type ContainerManifest } from '../common/container-manifest.js';
import { writeBundle } from '../bundle/write-bundle.js';
import { RunDir } from '../run-files/run-dir.js';
import { removeQuietly, replaceJsonFile } from '../run-files/safe-fs.js';
import { durationMs, limitsOf, manifestEngine, manifestImage, manifestInput } from './container-manifest.js';
import type { ContainerUser } from './container-user.js';
import { displayPath } from './display-paths.js';
import { readSummary } from './read-run-files.js';
import { makeRunId } from './run-id.js';
import { skippedEntries } from './skipped-entries.js';

const PROGRESS_POLL_MS = 500;
const TMPFS_BYTES = 16 * 1024 * 1024;
/** The supervisor's replace-by-rename temp files: `summary.json.<pid>.<n>.tmp`. */
const SUPERVISOR_TEMP_FILE = /\.\d+\.\d+\.tmp$/;

export interface RunPlan {
  projectRoot: string;
  /** Absolute, checked and created by prepareOutDir. */
  outDir: string;
  capBytes: number;
  capGiven: string;
  /** Run even when the cap is above the engine's memory, where it cannot bind. */
  allowCapAboveHost: boolean;
  cpus: number;
  baseImage: string;
  pidsLimit: number;
  user: ContainerUser;
  input: CheckedInput | null;
  /** Everything of run-config.json but what the runner fills in itself. */
  config: Omit<RunConfig, 'schema' | 'run_id' | 'cap_bytes'>;
  /** The command line as a bundle may show it (displayCommand). */
  command: string;
  harnessVersion: string;
  /** Pack the input PDF(s) into the bundle too. */
  includeInput: boolean;
}

export interface RunHooks {
  onProgress?: (summary: Summary) => void;
  onLog?: (line: string) => void;
  /** Lines that must reach the user in every output mode (a sweep of other runs' containers). */
  onNotice?: (line: string) => void;
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
  /** The bug-report archive, once written. */
  bundlePath: string | null;
  warnings: string[];
  engine: EngineInfo;
  windowStartMs: number;
  windowEndMs: number;
}

/** Refuses, before anything starts, a cap the engine cannot take or that cannot bind on its machine. */
export function checkCapForEngine(plan: Pick<RunPlan, 'capBytes' | 'capGiven' | 'allowCapAboveHost'>, engine: EngineInfo): void {
  const memTotal = engine.memTotalBytes;
  if (memTotal === null || plan.capBytes <= memTotal || plan.allowCapAboveHost) return;
  throw new HarnessError(
    'BAD_OPTION',
    `cap: got ${JSON.stringify(plan.capGiven)} (${formatBytes(plan.capBytes)}), expected at most the engine's memory, ${bytesToMiB(memTotal)} MiB: a cap above it can never bind, so no OOM would be reproduced`,
    { hint: 'Give --allow-cap-above-host to run anyway (for example to replay a cap taken from a bigger machine).' },
  );
}

export class HostRun {
  readonly runId: string;
  readonly run: RunDir;
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
    this.run = new RunDir(`${plan.outDir}/${this.runId}`);
  }

  get runDir(): string {
    return this.run.root;
  }

  /** Stops the container (once), and lets start() finish writing what it can. */
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

  async start(): Promise<RunOutcome> {
    const runnerStartedMs = Date.now();
    const docker = await connectEngine();
    const engine = await readEngineInfo(docker);
    checkCapForEngine(this.#plan, engine);
    const swept = await this.#sweep(docker);
    const image = await ensureImage(docker, {
      projectRoot: this.#plan.projectRoot,
      baseImage: this.#plan.baseImage,
      onBuildStart: (tag) => this.#hooks.onLog?.(`building runtime image ${tag} from ${this.#plan.baseImage} (once per harness build)`),
    });
    this.run.create(this.#plan.user.needsChown ? this.#plan.user : null);
    this.#hooks.onRunDir?.(this.run.root);
    const config: RunConfig = { schema: 'oom-harness/run-config@1', run_id: this.runId, cap_bytes: this.#plan.capBytes, ...this.#plan.config };
    replaceJsonFile(this.run.hostFile(RUN_CONFIG_FILE), config);
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
    this.#removeSupervisorTempFiles();

    const summary = readSummary(this.run);
    const cgroupOomKills = summary ? Math.max(0, (summary.kernel.oom_kills_after ?? 0) - (summary.kernel.oom_kills_before ?? 0)) : null;
    const classification = classifyContainer({
      summary,
      end: end && { exitCode: end.exitCode, oomKilledByEngine: end.oomKilled, cgroupOomKills },
      interruptedBy: this.#interruptedBy,
      engineError,
    });
    const skipped = skippedEntries(this.run);
    for (const entry of skipped) this.#warn(`${entry.path} in the run directory is a ${entry.kind}, not a regular file: it was neither read nor bundled`);
    const manifest: ContainerManifest = {
      schema: 'oom-harness/container-manifest@1',
      run_id: this.runId,
      command: this.#plan.command,
      input: manifestInput(this.#plan.input),
      out_dir: displayPath(this.#plan.outDir),
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
      swept_containers: swept.map((container) => ({ id: container.id, run_id: container.runId, reason: container.reason })),
      skipped_entries: skipped,
      warnings: this.#warnings,
    };
    replaceJsonFile(this.run.hostFile(CONTAINER_MANIFEST_FILE), manifest);

    return {
      runId: this.runId,
      runDir: this.run.root,
      verdict: classification.verdict,
      reason: classification.reason,
      exitCode: manifest.cli_exit_code,
      manifest,
      summary,
      bundlePath: null,
      warnings: this.#warnings,
      engine,
      windowStartMs: end?.startedAt ? Date.parse(end.startedAt) : runnerStartedMs,
      windowEndMs: end?.finishedAt ? Date.parse(end.finishedAt) : Date.now(),
    };
  }

  /** Packs the run into <out>/<run-id>.tar.gz; throws (exit 5) when the archive cannot be written. */
  async writeBundle(outcome: RunOutcome): Promise<RunOutcome> {
    const bundle = await writeBundle({
      runDir: this.run.root,
      runId: this.runId,
      manifest: outcome.manifest,
      summary: outcome.summary,
      engine: outcome.engine,
      projectRoot: this.#plan.projectRoot,
      harnessVersion: this.#plan.harnessVersion,
      includeInput: this.#plan.includeInput ? this.#plan.input : null,
      windowStartMs: outcome.windowStartMs,
      windowEndMs: outcome.windowEndMs,
    });
    for (const warning of bundle.warnings) this.#warn(warning);
    return { ...outcome, bundlePath: bundle.path };
  }

  async #sweep(docker: Docker): Promise<SweptContainer[]> {
    try {
      const swept = await sweepLeftoverContainers(docker, currentRunner());
      for (const container of swept) {
        this.#hooks.onNotice?.(`removed leftover container ${container.id.slice(0, 12)} of run ${container.runId}: ${container.reason}`);
      }
      return swept;
    } catch (error) {
      this.#warn(`sweeping leftover containers failed: ${errorMessage(error)}`);
      return [];
    }
  }

  /** Temp files of replacements the supervisor never finished (killed mid-write, or the disk was full). */
  #removeSupervisorTempFiles(): void {
    try {
      for (const name of readdirSync(this.run.containerDir)) {
        if (SUPERVISOR_TEMP_FILE.test(name)) removeQuietly(this.run.containerFile(name));
      }
    } catch {
      // no container directory: nothing to clean
    }
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
      labels: runLabels(this.runId, currentRunner()),
      containerDir: this.run.containerDir,
      configFile: this.run.hostFile(RUN_CONFIG_FILE),
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
      const summary = readSummary(this.run);
      if (summary) onProgress(summary);
    }, PROGRESS_POLL_MS);
    return () => clearInterval(timer);
  }

  #warn(message: string): void {
    this.#warnings.push(message);
    this.#hooks.onLog?.(`warning: ${message}`);
  }
}

