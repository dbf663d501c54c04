// Carries out a RunPlan on the engine: the image, the run directory, the container's create, start, wait and
// removal, then the verdict from what the kernel saw and container_manifest.json. The container is removed on
// every path. What it wrote is read once it has exited (while the engine removes it) or, when its end is unknown,
// once it is gone; the removal has settled before start() returns or throws.
import type Docker from 'dockerode';
import { errorMessage } from '../common/harness-error.js';
import type { Verdict } from '../common/verdict.js';
import { CappedContainer, endStateOf, type ContainerEndState } from '../container-runtime/capped-container.js';
import type { EngineInfo } from '../container-runtime/docker-client.js';
import { connectForRun, type RunEngine } from './connect-for-run.js';
import { classifyContainer } from '../outcome/classify-container.js';
import { writeContainerManifest, type ContainerLimits, type ContainerManifest } from '../run-files/container-manifest.js';
import { RUN_CONFIG_FILE } from '../run-files/run-config.js';
import { replaceJsonFile } from '../run-files/safe-fs.js';
import { readSummary, type Summary } from '../run-files/summary.js';
import { pollProgress } from './progress-poll.js';
import { checkCapForEngine } from './check-cap.js';
import { lookUpRuntimeImage, prepareContainer, type PreparedContainer } from './container-image.js';
import { containerManifest, limitsOf } from './container-manifest.js';
import { ulimitRefusalHint } from './container-ulimits.js';
import type { RunPlan } from './plan-run.js';
import { skippedEntries } from './skipped-entries.js';
import { BundlePreload } from './bundle-preload.js';

export interface RunHooks {
  onProgress?: (summary: Summary) => void;
  onLog?: (line: string) => void;
  /** Lines that must reach the user in every output mode (a sweep of other runs' containers). */
  onNotice?: (line: string) => void;
  onRunDir?: (runDir: string) => void;
  /** What the container writes, live (exec: the user's command). */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
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

interface ContainerRecord {
  end: ContainerEndState | null;
  applied: ContainerLimits | null;
  engineError: string | null;
}

export class CappedRun {
  readonly plan: RunPlan;
  readonly #hooks: RunHooks;
  readonly #warnings: string[] = [];
  #interruptedBy: string | null = null;
  #container: CappedContainer | null = null;
  #started = false;
  #removed = false;
  /** The container's removal, under way while the run's files are read; settled before the manifest is written. */
  #removal: Promise<void> = Promise.resolve();
  readonly #preload = new BundlePreload();

  constructor(plan: RunPlan, hooks: RunHooks = {}) {
    this.plan = plan;
    this.#hooks = hooks;
  }

  /** Stops the container (once); a second call kills it at once. start() still finishes writing what it can. */
  interrupt(signal: string): void {
    if (this.#interruptedBy) {
      this.#container?.kill().catch((error: unknown) => this.#warn(`killing the container failed: ${errorMessage(error)}`));
      return;
    }
    this.#interruptedBy = signal;
    // Before start() has returned, run() stops it right after; stopping a container not yet running does nothing.
    if (this.#started) this.#stopContainer();
  }

  #stopContainer(): void {
    const graceSeconds = Math.ceil(this.plan.config.kill_grace_ms / 1000) + 5;
    this.#container?.stop(graceSeconds).catch((error: unknown) => this.#warn(`stopping the container failed: ${errorMessage(error)}`));
  }

  async start(projectRoot: string): Promise<RunOutcome> {
    const runnerStartedMs = Date.now();
    const { plan } = this;
    const connected = await connectForRun((client) => lookUpRuntimeImage(client, plan, projectRoot));
    const { docker, endpoint, engine, swept, sweepFailure, ahead: imageLookup } = connected;
    if (sweepFailure) this.#warn(sweepFailure);
    for (const container of swept) this.#hooks.onNotice?.(`removed leftover container ${container.id.slice(0, 12)} of run ${container.runId}: ${container.reason}`);
    checkCapForEngine(plan, engine);
    const onBuildStart = (tag: string) => this.#hooks.onLog?.(`building runtime image ${tag} from ${plan.baseImage} (once per harness build)`);
    const prepared = await prepareContainer(docker, plan, projectRoot, onBuildStart, imageLookup);
    plan.run.create(prepared.owner);
    this.#hooks.onRunDir?.(plan.run.root);
    replaceJsonFile(plan.run.hostFile(RUN_CONFIG_FILE), prepared.config);
    const record = await this.#runContainer(docker, prepared.spec);
    try {
      return await this.#conclude({ record, prepared, endpoint, engine, swept, runnerStartedMs });
    } finally {
      await this.#removal;
    }
  }

  /** The verdict and container_manifest.json, from what the exited container left and what the engine said. */
  async #conclude(ran: { record: ContainerRecord; prepared: PreparedContainer; runnerStartedMs: number } & Pick<RunEngine, 'endpoint' | 'engine' | 'swept'>): Promise<RunOutcome> {
    const { plan } = this;
    const { record, prepared, endpoint, engine, swept, runnerStartedMs } = ran;
    plan.run.removeUnfinishedReplacements();
    const summary = readSummary(plan.run);
    const cgroupOomKills = summary ? Math.max(0, (summary.kernel.oom_kills_after ?? 0) - (summary.kernel.oom_kills_before ?? 0)) : null;
    const classification = classifyContainer({
      summary,
      end: record.end && { exitCode: record.end.exitCode, oomKilledByEngine: record.end.oomKilled, cgroupOomKills },
      interruptedBy: this.#interruptedBy,
      engineError: record.engineError,
    });
    const skipped = this.#skippedEntries();
    const execSpec = prepared.config.workload as { kind: string; command?: string[] };
    await this.#removal;
    const manifest = containerManifest({
      plan,
      execRan: plan.exec && execSpec.command ? { command: execSpec.command, user: String(prepared.spec.User) } : null,
      image: prepared.image,
      endpoint,
      engine,
      containerId: this.#container?.id ?? null,
      ...record,
      cgroupOomKills,
      classification,
      interruptedBy: this.#interruptedBy,
      swept,
      skipped: skipped.listed,
      skippedTotal: skipped.total,
      warnings: this.#warnings,
    });
    writeContainerManifest(plan.run, manifest);
    return {
      runId: plan.runId,
      runDir: plan.run.root,
      verdict: classification.verdict,
      reason: classification.reason,
      exitCode: manifest.cli_exit_code,
      manifest,
      summary,
      bundlePath: null,
      warnings: this.#warnings,
      engine,
      windowStartMs: record.end?.startedAt ? Date.parse(record.end.startedAt) : runnerStartedMs,
      windowEndMs: record.end?.finishedAt ? Date.parse(record.end.finishedAt) : Date.now(),
    };
  }

  /** What the container left that is not read or packed, with one warning for all of it. */
  #skippedEntries(): ReturnType<typeof skippedEntries> {
    const skipped = skippedEntries(this.plan.run);
    if (skipped.total > 0) {
      const first = skipped.listed[0]!;
      const more = skipped.total > 1 ? ` and ${skipped.total - 1} more (container_manifest.json lists them)` : '';
      this.#warn(`the container left ${first.path}, a ${first.kind}${more}: neither read nor bundled`);
    }
    return skipped;
  }

  /** Create, start, wait, inspect; the container's removal is started whatever happens (start() awaits it). */
  async #runContainer(docker: Docker, spec: Docker.ContainerCreateOptions): Promise<ContainerRecord> {
    const record: ContainerRecord = { end: null, applied: null, engineError: null };
    let stopPolling: () => void = () => undefined;
    try {
      if (this.#interruptedBy) return record;
      this.#container = await CappedContainer.create(docker, spec);
      if (!this.#interruptedBy) {
        await this.#container.start();
        this.#started = true;
        this.#preload.schedule();
        if (this.#interruptedBy) this.#stopContainer();
        stopPolling = this.#hooks.onProgress ? pollProgress(this.plan.run, this.#hooks.onProgress) : () => undefined;
        if (this.#hooks.onOutput) {
          const stopFollowing = await this.#container.follow(this.#hooks.onOutput).catch(() => () => undefined);
          const stopProgress = stopPolling;
          stopPolling = () => {
            stopProgress();
            stopFollowing();
          };
        }
        await this.#container.wait();
      }
      const info = await this.#container.inspect();
      record.end = endStateOf(info);
      record.applied = limitsOf({ User: info.Config.User, HostConfig: info.HostConfig });
    } catch (error) {
      const hint = ulimitRefusalHint(errorMessage(error), this.plan.ulimits);
      record.engineError = `the engine failed during the run: ${errorMessage(error)}${hint ? ` (${hint})` : ''}`;
    } finally {
      stopPolling();
      if (this.#container) {
        const container = this.#container;
        this.#removal = container.remove().then(
          () => {
            this.#removed = true;
          },
          (error: unknown) => this.#warn(`removing container ${container.id} failed: ${errorMessage(error)}`),
        );
        // A container that ended is read while the engine removes it; one whose end is unknown is removed first.
        if (!record.end || record.engineError) await this.#removal;
      }
    }
    return record;
  }

  /** Packs the run into <out>/<run-id>.tar.gz; throws (exit 5) when the archive cannot be written. */
  async writeBundle(outcome: RunOutcome, projectRoot: string, harnessVersion: string): Promise<RunOutcome> {
    const preloaded = await this.#preload.take();
    const { writeBundle } = preloaded?.bundle ?? (await import('../bundle/write-bundle.js'));
    const bundle = await writeBundle({
      kernelLog: preloaded?.kernelLog ?? null,
      gpus: preloaded?.gpus ?? null,
      runDir: this.plan.run.root,
      runId: this.plan.runId,
      manifest: outcome.manifest,
      summary: outcome.summary,
      engine: outcome.engine,
      projectRoot,
      harnessVersion,
      includeInput: this.plan.includeInput ? this.plan.input : null,
      windowStartMs: outcome.windowStartMs,
      windowEndMs: outcome.windowEndMs,
      containerMayStillRun: this.#container !== null && !this.#removed,
    });
    for (const warning of bundle.warnings) this.#warn(warning);
    return { ...outcome, bundlePath: bundle.path };
  }

  /** Releases what was opened ahead for a bundle never written (the kernel log); the run is over either way. */
  dispose(): void {
    this.#preload.dispose();
  }

  #warn(message: string): void {
    this.#warnings.push(message);
    this.#hooks.onLog?.(`warning: ${message}`);
  }
}
