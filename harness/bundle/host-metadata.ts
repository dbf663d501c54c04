// host.json: the machine the run happened on. Deliberately narrow: no environment variables, no host names,
// no user names; only figures about hardware, kernel, engine and versions.
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { arch, cpus, release, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as z from 'zod';
import { detectHostCgroupVersion } from '../kernel/cgroup-location.js';
import { parseKeyedCounters } from '../kernel/keyed-counters.js';

export const HOST_METADATA_FILE = 'host.json';

export const HostMetadataSchema = z.object({
  schema: z.literal('oom-harness/host@1'),
  os: z.string().nullable(),
  kernel: z.string(),
  arch: z.string(),
  cpu_model: z.string().nullable(),
  cpu_count: z.number().int(),
  memory_total_mb: z.number(),
  memory_available_mb: z.number().nullable(),
  swap_total_mb: z.number().nullable(),
  swap_free_mb: z.number().nullable(),
  cgroup_version: z.number().int().nullable(),
  docker: z.object({
    engine_version: z.string().nullable(),
    api_version: z.string().nullable(),
    storage_driver: z.string().nullable(),
    cgroup_driver: z.string().nullable(),
  }),
  node_outside: z.string(),
  node_inside: z.string().nullable(),
  harness_version: z.string(),
  harness_commit: z.string().nullable(),
  gpus: z.array(z.object({ model: z.string(), driver: z.string().nullable(), source: z.enum(['nvidia-smi', '/sys/class/drm']) })),
});
export type HostMetadata = z.infer<typeof HostMetadataSchema>;

export interface HostMetadataInput {
  engine: { engineVersion: string; apiVersion: string; storageDriver: string | null; cgroupDriver: string | null } | null;
  nodeInside: string | null;
  harnessVersion: string;
  projectRoot: string;
  /** The GPUs, asked for ahead (hostGpus); asked for now when not given. */
  gpus?: Promise<HostMetadata['gpus']> | null;
}

/** "PRETTY_NAME" of /etc/os-release. */
export function parseOsRelease(text: string): string | null {
  const match = /^PRETTY_NAME=(.*)$/m.exec(text);
  return match ? match[1]!.replace(/^"|"$/g, '') : null;
}

/** /proc/meminfo lines "MemAvailable:   1234 kB" as kB figures. */
export function parseMeminfo(text: string): Map<string, number> {
  return parseKeyedCounters(text.replace(/:\s+/g, ' ').replace(/ kB$/gm, ''));
}

export async function collectHostMetadata(input: HostMetadataInput): Promise<HostMetadata> {
  const meminfo = parseMeminfo(readOptional('/proc/meminfo') ?? '');
  const mb = (kb: number | undefined) => (kb === undefined ? null : Math.round(kb / 1024));
  return {
    schema: 'oom-harness/host@1',
    os: parseOsRelease(readOptional('/etc/os-release') ?? ''),
    kernel: release(),
    arch: arch(),
    cpu_model: cpus()[0]?.model.trim() ?? null,
    cpu_count: cpus().length,
    memory_total_mb: Math.round(totalmem() / 1024 / 1024),
    memory_available_mb: mb(meminfo.get('MemAvailable')),
    swap_total_mb: mb(meminfo.get('SwapTotal')),
    swap_free_mb: mb(meminfo.get('SwapFree')),
    cgroup_version: detectHostCgroupVersion(),
    docker: {
      engine_version: input.engine?.engineVersion ?? null,
      api_version: input.engine?.apiVersion ?? null,
      storage_driver: input.engine?.storageDriver ?? null,
      cgroup_driver: input.engine?.cgroupDriver ?? null,
    },
    node_outside: process.version,
    node_inside: input.nodeInside,
    harness_version: input.harnessVersion,
    harness_commit: gitCommit(input.projectRoot),
    gpus: await (input.gpus ?? hostGpus()),
  };
}

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The commit of a git checkout, read from .git without running git. */
export function gitCommit(projectRoot: string): string | null {
  const head = readOptional(join(projectRoot, '.git', 'HEAD'))?.trim();
  if (!head) return null;
  if (!head.startsWith('ref: ')) return /^[0-9a-f]{40}$/.test(head) ? head : null;
  const ref = head.slice(5);
  const loose = readOptional(join(projectRoot, '.git', ref))?.trim();
  if (loose) return loose;
  const packed = readOptional(join(projectRoot, '.git', 'packed-refs')) ?? '';
  return packed.split('\n').find((line) => line.endsWith(` ${ref}`))?.split(' ')[0] ?? null;
}

/** The host's GPUs: nvidia-smi's answer, or the DRM devices' (asked for while a run goes on: a process to start). */
export async function hostGpus(): Promise<HostMetadata['gpus']> {
  try {
    const result = await promisify(execFile)('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { timeout: 5000 });
    const found = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [model = '', driver = ''] = line.split(',').map((part) => part.trim());
        return { model, driver: driver || null, source: 'nvidia-smi' as const };
      });
    if (found.length > 0) return found;
  } catch {
    // no NVIDIA tools: look at the DRM devices instead
  }
  const drm = '/sys/class/drm';
  if (!existsSync(drm)) return [];
  return readdirSync(drm)
    .filter((name) => /^card\d+$/.test(name))
    .flatMap((card) => {
      const device = join(drm, card, 'device');
      const vendor = readOptional(join(device, 'vendor'))?.trim();
      const id = readOptional(join(device, 'device'))?.trim();
      if (!vendor || !id) return [];
      let driver: string | null = null;
      try {
        driver = basename(readlinkSync(join(device, 'driver')));
      } catch {
        driver = null;
      }
      return [{ model: `PCI ${vendor}:${id}`, driver, source: '/sys/class/drm' as const }];
    });
}
