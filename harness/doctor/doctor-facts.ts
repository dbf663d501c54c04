// What doctor looks at, read off this machine and its engine: nothing here judges, so the judging is testable on
// fixture facts (doctor-checks.ts).
import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../common/harness-error.js';
import type { ContainerUlimits } from '../container-runtime/container-spec.js';
import { describeEngine, openEngine, type EngineInfo } from '../container-runtime/docker-client.js';
import { describeEndpoint, resolveEngineEndpoint, type EngineEndpoint } from '../container-runtime/engine-endpoint.js';
import { detectHostCgroupVersion, locateOwnMemoryCgroup } from '../kernel/cgroup-location.js';
import { currentContainerUlimits } from '../run/container-ulimits.js';
import { projectRoot } from '../common/project-root.js';
import { staleContainerBundle } from '../image/container-entry.js';

export type EngineFacts =
  | {
      ok: true;
      endpoint: string;
      /** Docker or Podman. */
      product: string;
      version: string;
      apiVersion: string;
      cgroupVersion: string | null;
      /** False when the engine says it cannot limit memory+swap (it then cannot hold a container to its cap). */
      swapLimit: boolean | null;
      memoryLimit: boolean | null;
      memTotalBytes: number | null;
    }
  /** endpoint null: no engine could even be chosen (a Docker context that is not stored). */
  | { ok: false; endpoint: string | null; error: string };

export interface DoctorFacts {
  engine: EngineFacts;
  hostCgroupVersion: 1 | 2 | null;
  /** /proc/sys/kernel/dmesg_restrict, and whether this process can open /dev/kmsg. */
  dmesgRestrict: number | null;
  kmsgReadable: boolean;
  /** The high-water-mark file of this process's own memory cgroup (memory.max_usage_in_bytes or memory.peak). */
  highWaterMark: { file: string; present: boolean } | null;
  memTotalMb: number | null;
  memAvailableMb: number | null;
  swapTotalMb: number | null;
  /** The open-file and process limits a container gets: this process's hard limits, within what engines grant. */
  ulimits: ContainerUlimits;
  /** Why the container's bundle cannot go into an image (missing, incomplete or older than the compiled files), or null. */
  staleBundle: string | null;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

async function engineFacts(): Promise<EngineFacts> {
  let chosen: EngineEndpoint;
  try {
    chosen = resolveEngineEndpoint();
  } catch (error) {
    // A Docker context that is named but not stored: the message names it and where the name came from.
    return { ok: false, endpoint: null, error: errorMessage(error) };
  }
  const endpoint = describeEndpoint(chosen);
  const { docker } = openEngine(chosen);
  // The engine's raw info (swap and memory limit support), asked beside its description.
  const rawInfo = (docker.info() as Promise<Record<string, unknown>>).catch(() => ({}) as Record<string, unknown>);
  let info: EngineInfo;
  try {
    info = await describeEngine(docker, chosen);
  } catch (error) {
    // The engine's own words (connect ENOENT ...), not the harness's sentence around them.
    return { ok: false, endpoint, error: errorMessage(error instanceof Error && error.cause ? error.cause : error) };
  }
  const raw = await rawInfo;
  const flag = (value: unknown) => (typeof value === 'boolean' ? value : null);
  return {
    ok: true,
    endpoint,
    product: info.product,
    version: info.engineVersion,
    apiVersion: info.apiVersion,
    cgroupVersion: info.cgroupVersion,
    swapLimit: flag(raw.SwapLimit),
    memoryLimit: flag(raw.MemoryLimit),
    memTotalBytes: info.memTotalBytes,
  };
}

function canOpen(path: string): boolean {
  try {
    closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
    return true;
  } catch {
    return false;
  }
}

export async function readDoctorFacts(): Promise<DoctorFacts> {
  const meminfo = readText('/proc/meminfo') ?? '';
  const kib = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(meminfo);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  };
  const own = locateOwnMemoryCgroup();
  const hwmFile = own ? join(own.dir, own.version === 1 ? 'memory.max_usage_in_bytes' : 'memory.peak') : null;
  const restrict = readText('/proc/sys/kernel/dmesg_restrict');
  return {
    engine: await engineFacts(),
    hostCgroupVersion: detectHostCgroupVersion(),
    dmesgRestrict: restrict === null ? null : Number(restrict.trim()),
    kmsgReadable: canOpen('/dev/kmsg'),
    highWaterMark: hwmFile ? { file: hwmFile, present: readText(hwmFile) !== null } : null,
    memTotalMb: kib('MemTotal'),
    memAvailableMb: kib('MemAvailable'),
    swapTotalMb: kib('SwapTotal'),
    ulimits: currentContainerUlimits(),
    staleBundle: staleContainerBundle(join(projectRoot(), 'dist', 'harness')),
  };
}
