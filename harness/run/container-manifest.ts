// container_manifest.json: what was asked of the engine, what it read back, and how the container ended.
import type Docker from 'dockerode';
import type { Verdict } from '../common/verdict.js';
import type { EngineInfo } from '../container-runtime/docker-client.js';
import type { ContainerEndState } from '../container-runtime/capped-container.js';
import type { ImageRef } from '../image/image-builder.js';
import type { CheckedInput } from '../input/check-input.js';

export const CONTAINER_MANIFEST_FILE = 'container_manifest.json';

export interface ContainerLimits {
  memory_bytes: number | null;
  memory_swap_bytes: number | null;
  nano_cpus: number | null;
  pids_limit: number | null;
  network_mode: string | null;
  readonly_rootfs: boolean | null;
  cap_drop: string[];
  security_opt: string[];
  init: boolean | null;
  user: string | null;
  auto_remove: boolean | null;
}

export interface ContainerManifest {
  schema: 'oom-harness/container-manifest@1';
  run_id: string;
  command: string;
  input: { path: string; is_directory: boolean; files: Array<{ name: string; size_bytes: number; sha256: string }> } | null;
  cap_bytes: number;
  cap_given: string;
  cpus: number;
  image: {
    tag: string;
    id: string;
    base_image: string;
    node_runtime: string;
    built_this_run: boolean;
    build_ms: number | null;
    content_hash: string;
  } | null;
  engine: {
    endpoint: string;
    version: string;
    api_version: string;
    os: string;
    kernel: string;
    cgroup_version: string | null;
    cgroup_driver: string | null;
    storage_driver: string | null;
  } | null;
  container: {
    id: string | null;
    name: string;
    requested: ContainerLimits;
    /** Read back from the engine with inspect, after the run. */
    applied: ContainerLimits | null;
  };
  exit_code: number | null;
  oom_killed: boolean | null;
  cgroup_oom_kills: number | null;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  verdict: Verdict;
  verdict_reason: string;
  cli_exit_code: number;
  interrupted_by: string | null;
  engine_error: string | null;
  warnings: string[];
}

export function limitsOf(config: { User?: string; HostConfig?: Docker.HostConfig } | null): ContainerLimits | null {
  if (!config) return null;
  const host = config.HostConfig ?? {};
  return {
    memory_bytes: host.Memory ?? null,
    memory_swap_bytes: host.MemorySwap ?? null,
    nano_cpus: host.NanoCpus ?? null,
    pids_limit: host.PidsLimit ?? null,
    network_mode: host.NetworkMode ?? null,
    readonly_rootfs: host.ReadonlyRootfs ?? null,
    cap_drop: host.CapDrop ?? [],
    security_opt: host.SecurityOpt ?? [],
    init: host.Init ?? null,
    user: config.User ?? null,
    auto_remove: host.AutoRemove ?? null,
  };
}

export function manifestInput(input: CheckedInput | null): ContainerManifest['input'] {
  if (!input) return null;
  return {
    path: input.hostPath,
    is_directory: input.isDirectory,
    files: input.files.map((file) => ({ name: file.name, size_bytes: file.sizeBytes, sha256: file.sha256 })),
  };
}

export function manifestImage(image: ImageRef | null): ContainerManifest['image'] {
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

export function manifestEngine(endpoint: string, engine: EngineInfo | null): ContainerManifest['engine'] {
  if (!engine) return null;
  return {
    endpoint,
    version: engine.engineVersion,
    api_version: engine.apiVersion,
    os: engine.os,
    kernel: engine.kernelVersion,
    cgroup_version: engine.cgroupVersion,
    cgroup_driver: engine.cgroupDriver,
    storage_driver: engine.storageDriver,
  };
}

export function durationMs(end: ContainerEndState | null): number | null {
  if (!end?.startedAt || !end.finishedAt) return null;
  const ms = Date.parse(end.finishedAt) - Date.parse(end.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}
