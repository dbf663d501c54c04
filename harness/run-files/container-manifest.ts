// container_manifest.json: what was asked of the engine, what it read back, and how the container ended.
import * as z from 'zod';
import { VERDICTS } from '../common/verdict.js';
import { ENDPOINT_SOURCES } from '../container-runtime/engine-endpoint.js';
import type { RunDir } from './run-dir.js';
import { readValidJson, replaceJsonFile } from './safe-fs.js';

export const CONTAINER_MANIFEST_FILE = 'container_manifest.json';

export const ContainerLimitsSchema = z.object({
  memory_bytes: z.number().nullable(),
  memory_swap_bytes: z.number().nullable(),
  nano_cpus: z.number().nullable(),
  pids_limit: z.number().nullable(),
  /** Resource limits by name (nofile, nproc), soft and hard. */
  ulimits: z.array(z.object({ name: z.string(), soft: z.number(), hard: z.number() })),
  network_mode: z.string().nullable(),
  readonly_rootfs: z.boolean().nullable(),
  cap_drop: z.array(z.string()),
  security_opt: z.array(z.string()),
  init: z.boolean().nullable(),
  user: z.string().nullable(),
  auto_remove: z.boolean().nullable(),
});
export type ContainerLimits = z.infer<typeof ContainerLimitsSchema>;

export const SweptContainerSchema = z.object({ id: z.string(), run_id: z.string(), reason: z.string() });
export type SweptContainerRecord = z.infer<typeof SweptContainerSchema>;

export const ContainerManifestSchema = z.object({
  schema: z.literal('oom-harness/container-manifest@1'),
  run_id: z.string(),
  /** The command line, with the input by file name and paths relative to the working directory or under ~. */
  command: z.string(),
  input: z
    .object({
      is_directory: z.boolean(),
      files: z.array(z.object({ name: z.string(), size_bytes: z.number(), sha256: z.string() })),
    })
    .nullable(),
  /** The --out directory, shown as `command` shows paths. */
  out_dir: z.string(),
  cap_bytes: z.number(),
  cap_given: z.string(),
  /** The --cpus quota asked for; null: none (container.applied.nano_cpus says what the engine applied). */
  cpus: z.number().nullable(),
  image: z
    .object({
      tag: z.string(),
      id: z.string(),
      base_image: z.string(),
      node_runtime: z.string(),
      built_this_run: z.boolean(),
      build_ms: z.number().nullable(),
      content_hash: z.string(),
    })
    .nullable(),
  engine: z
    .object({
      /** Docker or Podman, from the engine's version report. */
      product: z.string(),
      /** The engine's address (unix:///var/run/docker.sock), and how it was chosen. */
      endpoint: z.string(),
      endpoint_source: z.enum(ENDPOINT_SOURCES),
      /** The Docker context the address was read from, if any. */
      context: z.string().nullable(),
      version: z.string(),
      api_version: z.string(),
      os: z.string(),
      kernel: z.string(),
      cgroup_version: z.string().nullable(),
      cgroup_driver: z.string().nullable(),
      storage_driver: z.string().nullable(),
      mem_total_bytes: z.number().nullable(),
    })
    .nullable(),
  container: z.object({
    id: z.string().nullable(),
    name: z.string(),
    requested: ContainerLimitsSchema,
    /** Read back from the engine with inspect, after the run. */
    applied: ContainerLimitsSchema.nullable(),
  }),
  exit_code: z.number().nullable(),
  oom_killed: z.boolean().nullable(),
  cgroup_oom_kills: z.number().nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  verdict: z.enum(VERDICTS),
  verdict_reason: z.string(),
  cli_exit_code: z.number(),
  interrupted_by: z.string().nullable(),
  engine_error: z.string().nullable(),
  /** exec: the user's image, command, mounts, environment names (never values), network and user. */
  exec: z
    .object({
      image: z.string(),
      image_id: z.string(),
      command: z.array(z.string()),
      mounts: z.array(z.object({ source: z.string(), target: z.string(), read_only: z.boolean() })),
      env_names: z.array(z.string()),
      network: z.string(),
      user: z.string(),
    })
    .nullable(),
  /** Leftover containers of dead runners this run removed before it started. */
  swept_containers: z.array(SweptContainerSchema),
  /** Entries of the run directory that were not regular files, and so were neither read nor bundled. */
  skipped_entries: z.array(z.object({ path: z.string(), kind: z.string() })),
  /** How many there were; past 50 they are counted, not listed. */
  skipped_entries_total: z.number().int(),
  warnings: z.array(z.string()),
});
export type ContainerManifest = z.infer<typeof ContainerManifestSchema>;

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** Written by the host beside the container's directory. */
export function writeContainerManifest(run: RunDir, manifest: ContainerManifest): void {
  replaceJsonFile(run.hostFile(CONTAINER_MANIFEST_FILE), manifest);
}

/** container_manifest.json of a run directory or an extracted bundle, or null when missing, unsafe or invalid. */
export function readContainerManifest(run: RunDir): ContainerManifest | null {
  return readValidJson(() => run.hostFile(CONTAINER_MANIFEST_FILE), ContainerManifestSchema, MAX_MANIFEST_BYTES);
}
