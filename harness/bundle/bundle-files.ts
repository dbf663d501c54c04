// The one list of what a bundle may hold: each file, who writes it (the host, or the untrusted container), and what
// it is. The bundle writer packs from it, README.txt describes from it, and `report` accepts archives against it.
import { CONTAINER_MANIFEST_FILE } from '../run-files/container-manifest.js';
import { INGEST_MANIFEST_FILE } from '../workloads/ingest/ingest-manifest.js';
import { RUN_CONFIG_FILE } from '../run-files/run-config.js';
import { MEMORY_LOG_FILE } from '../run-files/memory-log.js';
import { SUMMARY_FILE } from '../run-files/summary.js';
import { POD_MANIFEST_FILE } from '../run-files/pod-manifest.js';
import { PRESSURE_REPORT_FILE } from '../checks/pressure-analysis.js';
import { SMOKE_REPORT_FILE } from '../checks/smoke-checks.js';
import { CONTAINER_SUBDIR, WORKER_LOG_DIR } from '../run-files/run-dir.js';
import { DMESG_EXCERPT_FILE } from './dmesg-excerpt.js';
import { HOST_METADATA_FILE } from './host-metadata.js';
import { MEMORY_CHART_FILE } from './memory-chart.js';

export const BUNDLE_README_FILE = 'README.txt';
export const WORKER_STDERR_TAIL_FILE = 'worker_stderr_tail.txt';
export const COMMAND_LOG_TAIL_FILE = 'command_log_tail.txt';
/** Where --include-input copies the input in the run directory and the bundle. */
export const INPUT_COPY_DIR = 'input';

export interface BundleFile {
  name: string;
  writtenBy: 'host' | 'container';
  description: string;
  /** Container files larger than this are not packed (the container could make them any size, sparse or not). */
  maxBytes?: number;
}

const MIB = 1024 * 1024;

/** In the order README.txt lists them. */
export const BUNDLE_FILES: readonly BundleFile[] = [
  { name: BUNDLE_README_FILE, writtenBy: 'host', description: 'this page' },
  { name: CONTAINER_MANIFEST_FILE, writtenBy: 'host', description: 'input, cap, image, engine, the limits asked and applied, exit code, OOMKilled, the verdict' },
  { name: SUMMARY_FILE, writtenBy: 'container', maxBytes: 8 * MIB, description: "the supervisor's figures: peaks (kernel, PSS, RSS, VMS), OOM counters, each worker's exit, the verdict" },
  { name: INGEST_MANIFEST_FILE, writtenBy: 'container', maxBytes: 16 * MIB, description: 'every batch: pages, items, bytes, trigger, status, attempts; failed batches, the batch in flight, the culprit' },
  { name: POD_MANIFEST_FILE, writtenBy: 'container', maxBytes: 1 * MIB, description: "a Kubernetes pod's own record: Job, index, pod and node, the cgroup limit it found, what it could not record" },
  { name: MEMORY_LOG_FILE, writtenBy: 'container', maxBytes: 128 * MIB, description: 'memory of every process at every sample (RSS, PSS, VMS, page), beside the cgroup figures' },
  { name: MEMORY_CHART_FILE, writtenBy: 'host', description: 'memory over time against the cap, batch flushes and the moment of death (open in a browser)' },
  { name: DMESG_EXCERPT_FILE, writtenBy: 'host', description: "the kernel's OOM-killer report for this container, or why the kernel log could not be read" },
  { name: HOST_METADATA_FILE, writtenBy: 'host', description: 'OS, kernel, CPU, memory, swap, cgroup version, Docker and Node versions, GPUs' },
  { name: RUN_CONFIG_FILE, writtenBy: 'host', description: 'what the supervisor was asked to do' },
  { name: WORKER_STDERR_TAIL_FILE, writtenBy: 'host', description: 'the last lines each worker wrote to stderr' },
  { name: COMMAND_LOG_TAIL_FILE, writtenBy: 'host', description: "the last lines the command wrote, stdout and stderr (exec; command.log keeps more)" },
  { name: SMOKE_REPORT_FILE, writtenBy: 'host', description: "the smoke run's assertions, each with its measured figure" },
  { name: PRESSURE_REPORT_FILE, writtenBy: 'host', description: 'memory at baseline, peak and after release, per phase, and the share returned' },
];

/** A bundle file's path inside the run directory (and below the run id in the archive). */
export function bundlePath(file: BundleFile): string {
  return file.writtenBy === 'container' ? `${CONTAINER_SUBDIR}/${file.name}` : file.name;
}

/** One path component the host could have written: no separator, no control character, not "." or "..". */
function isPlainName(name: string): boolean {
  return name !== '.' && name !== '..' && name.length <= 255 && !/[\/\\\x00-\x1f\x7f-\x9f]/.test(name);
}
const KNOWN_PATHS = new Set(BUNDLE_FILES.map(bundlePath));

/**
 * Whether `relative` (a path below the run id, '/'-separated) is one a bundle may hold: a known file, the
 * container's directory, its worker logs, or a copied input.
 */
export function isBundlePath(relative: string, type: 'file' | 'directory'): boolean {
  if (type === 'directory') return [CONTAINER_SUBDIR, INPUT_COPY_DIR, `${CONTAINER_SUBDIR}/${WORKER_LOG_DIR}`].includes(relative);
  if (KNOWN_PATHS.has(relative)) return true;
  const [first, second, third, ...rest] = relative.split('/');
  if (first === INPUT_COPY_DIR && second !== undefined && third === undefined) return isPlainName(second);
  return first === CONTAINER_SUBDIR && second === WORKER_LOG_DIR && third !== undefined && rest.length === 0 && /^worker-\d+\.log$/.test(third);
}

export function describeBundleFile(path: string): string {
  return BUNDLE_FILES.find((file) => bundlePath(file) === path)?.description ?? (path.startsWith(`${INPUT_COPY_DIR}/`) ? 'the input, as given' : '');
}
