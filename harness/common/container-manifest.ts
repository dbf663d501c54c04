// container_manifest.json: what was asked of the engine, what it read back, and how the container ended.
import type { Verdict } from './verdict.js';

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
