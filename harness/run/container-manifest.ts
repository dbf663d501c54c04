// Builders for container_manifest.json from what the engine, the image and the input checks report.
import type Docker from 'dockerode';
import type { ContainerLimits, ContainerManifest } from '../common/container-manifest.js';
import type { EngineInfo } from '../container-runtime/docker-client.js';
import type { ContainerEndState } from '../container-runtime/capped-container.js';
import type { ImageRef } from '../image/image-builder.js';
import type { CheckedInput } from '../input/check-input.js';

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
  // By name, size and sha256 only: the host path would carry the user's directories into the bundle.
  return {
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
    mem_total_bytes: engine.memTotalBytes,
  };
}

export function durationMs(end: ContainerEndState | null): number | null {
  if (!end?.startedAt || !end.finishedAt) return null;
  const ms = Date.parse(end.finishedAt) - Date.parse(end.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}
