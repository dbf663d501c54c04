// container_manifest.json's contents, built purely from the plan and what the engine, the image and the kernel
// reported.
import type Docker from 'dockerode';
import type { ContainerLimits, ContainerManifest } from '../run-files/container-manifest.js';
import type { EngineInfo } from '../container-runtime/docker-client.js';
import type { EngineEndpoint } from '../container-runtime/engine-endpoint.js';
import type { ContainerEndState } from '../container-runtime/capped-container.js';
import type { ImageRef } from '../image/image-builder.js';
import type { CheckedInput } from '../input/check-input.js';
import type { Classification } from '../outcome/classify-workers.js';
import type { SkippedEntry } from './skipped-entries.js';
import type { SweptContainer } from '../container-runtime/reaper.js';
import { exitCodeForVerdict } from '../common/verdict.js';
import type { RunPlan } from './plan-run.js';
import { displayPath } from './display-paths.js';

export function limitsOf(config: { User?: string; HostConfig?: Docker.HostConfig } | null): ContainerLimits | null {
  if (!config) return null;
  const host = config.HostConfig ?? {};
  return {
    memory_bytes: host.Memory ?? null,
    memory_swap_bytes: host.MemorySwap ?? null,
    nano_cpus: host.NanoCpus ?? null,
    pids_limit: host.PidsLimit ?? null,
    // Podman reports RLIMIT_NOFILE where Docker says nofile.
    ulimits: (host.Ulimits ?? []).map((limit) => ({ name: (limit.Name ?? '').replace(/^RLIMIT_/i, '').toLowerCase(), soft: limit.Soft ?? 0, hard: limit.Hard ?? 0 })),
    network_mode: host.NetworkMode ?? null,
    readonly_rootfs: host.ReadonlyRootfs ?? null,
    cap_drop: host.CapDrop ?? [],
    security_opt: host.SecurityOpt ?? [],
    init: host.Init ?? null,
    user: config.User ?? null,
    auto_remove: host.AutoRemove ?? null,
  };
}

function manifestInput(input: CheckedInput | null): ContainerManifest['input'] {
  if (!input) return null;
  // By name, size and sha256 only: the host path would carry the user's directories into the bundle.
  return {
    is_directory: input.isDirectory,
    files: input.files.map((file) => ({ name: file.name, size_bytes: file.sizeBytes, sha256: file.sha256 })),
  };
}

function manifestImage(image: ImageRef | null): ContainerManifest['image'] {
  if (!image) return null;
  return {
    tag: image.tag,
    id: image.id,
    base_image: image.baseImage,
    node_runtime: image.nodeRuntime,
    built_this_run: image.built,
    build_ms: image.buildMs,
    content_hash: image.hash,
  };
}

function manifestEngine(endpoint: EngineEndpoint, engine: EngineInfo | null): ContainerManifest['engine'] {
  if (!engine) return null;
  return {
    product: engine.product,
    endpoint: endpoint.host,
    endpoint_source: endpoint.source,
    context: endpoint.context,
    version: engine.engineVersion,
    api_version: engine.apiVersion,
    os: engine.os,
    kernel: engine.kernelVersion,
    cgroup_version: engine.cgroupVersion,
    cgroup_driver: engine.cgroupDriver,
    storage_driver: engine.storageDriver,
    mem_total_bytes: engine.memTotalBytes,
  };
}

function durationMs(end: ContainerEndState | null): number | null {
  if (!end?.startedAt || !end.finishedAt) return null;
  const ms = Date.parse(end.finishedAt) - Date.parse(end.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

export interface ContainerManifestInput {
  plan: RunPlan;
  /** The command as it ran and the user it ran as (exec). */
  execRan: { command: string[]; user: string } | null;
  image: ImageRef;
  endpoint: EngineEndpoint;
  engine: EngineInfo;
  containerId: string | null;
  end: ContainerEndState | null;
  applied: ContainerLimits | null;
  cgroupOomKills: number | null;
  classification: Classification;
  interruptedBy: string | null;
  engineError: string | null;
  swept: SweptContainer[];
  skipped: SkippedEntry[];
  skippedTotal: number;
  warnings: string[];
}

export function containerManifest(input: ContainerManifestInput): ContainerManifest {
  const { plan, end, classification } = input;
  return {
    schema: 'oom-harness/container-manifest@1',
    run_id: plan.runId,
    command: plan.command,
    input: manifestInput(plan.input),
    out_dir: plan.outDirShown,
    cap_bytes: plan.capBytes,
    cap_given: plan.capGiven,
    cpus: plan.cpus,
    image: manifestImage(input.image),
    engine: manifestEngine(input.endpoint, input.engine),
    container: { id: input.containerId, name: plan.containerSpec.name ?? '', requested: limitsOf(plan.containerSpec)!, applied: input.applied },
    exit_code: end?.exitCode ?? null,
    oom_killed: end?.oomKilled ?? null,
    cgroup_oom_kills: input.cgroupOomKills,
    started_at: end?.startedAt ?? null,
    finished_at: end?.finishedAt ?? null,
    duration_ms: durationMs(end),
    verdict: classification.verdict,
    verdict_reason: classification.reason,
    cli_exit_code: exitCodeForVerdict(classification.verdict),
    interrupted_by: input.interruptedBy,
    engine_error: input.engineError ?? end?.error ?? null,
    exec:
      plan.exec && input.execRan
        ? {
            image: input.image.tag,
            image_id: input.image.id,
            command: input.execRan.command,
            mounts: plan.exec.mounts.map((mount) => ({ source: displayPath(mount.source), target: mount.target, read_only: mount.readOnly })),
            env_names: plan.exec.env.map((entry) => entry.slice(0, entry.indexOf('='))),
            network: plan.exec.network,
            user: input.execRan.user,
          }
        : null,
    swept_containers: input.swept.map((container) => ({ id: container.id, run_id: container.runId, reason: container.reason })),
    skipped_entries: input.skipped,
    skipped_entries_total: input.skippedTotal,
    warnings: input.warnings,
  };
}
