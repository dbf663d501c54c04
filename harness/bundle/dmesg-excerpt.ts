// dmesg_excerpt.txt: the kernel's own account of the OOM kills in this run's container, and nothing else.
import { closeSync, constants, openSync, readFileSync, readSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  DMESG_FILTER_DESCRIPTION,
  formatKernelRecord,
  parseDmesgRawLine,
  parseKmsgRecord,
  selectContainerOomRecords,
  type KernelRecord,
} from '../kernel/kernel-log.js';

export const DMESG_EXCERPT_FILE = 'dmesg_excerpt.txt';
export const WINDOW_MARGIN_MS = 5000;

export interface KernelLogSource {
  name: string;
  read(): Promise<KernelRecord[]>;
}

export interface DmesgExcerpt {
  text: string;
  source: string | null;
  lines: string[];
  /** Set when the kernel log could not be read: recoverable, the run goes on. */
  warning: string | null;
}

export interface DmesgRequest {
  containerId: string | null;
  windowStartMs: number;
  windowEndMs: number;
  /** Wall-clock time of boot, to place the kernel's since-boot timestamps in the window. */
  bootWallMs: number;
  sources?: KernelLogSource[];
  /** /dev/kmsg opened while the run went on (openKernelLog): only what came since is read now. */
  kernelLog?: KernelLogReader | null;
}

export async function collectDmesgExcerpt(request: DmesgRequest): Promise<DmesgExcerpt> {
  const start = request.windowStartMs - WINDOW_MARGIN_MS;
  const end = request.windowEndMs + WINDOW_MARGIN_MS;
  const header = [
    `# oom-harness dmesg excerpt`,
    `# window: ${new Date(start).toISOString()} .. ${new Date(end).toISOString()} (the run, with ${WINDOW_MARGIN_MS / 1000} s either side)`,
    `# container: ${request.containerId ?? 'none was created'}`,
    `# filter: ${DMESG_FILTER_DESCRIPTION}`,
  ];
  if (!request.containerId) {
    return { text: `${header.join('\n')}\n# no container, so no kernel messages belong to this run\n`, source: null, lines: [], warning: null };
  }
  const failures: string[] = [];
  for (const source of request.sources ?? defaultSources(request.kernelLog ?? null)) {
    let records: KernelRecord[];
    try {
      records = await source.read();
    } catch (error) {
      failures.push(`${source.name}: ${describeReadError(error)}`);
      continue;
    }
    const inWindow = records.filter((record) => {
      const wall = request.bootWallMs + record.usec / 1000;
      return wall >= start && wall <= end;
    });
    const lines = selectContainerOomRecords(inWindow, request.containerId).map(formatKernelRecord);
    const body = lines.length > 0 ? lines : ['# no OOM-killer report for this container in the window'];
    return { text: `${[...header, `# source: ${source.name}`, ...body].join('\n')}\n`, source: source.name, lines, warning: null };
  }
  const warning = `the kernel log could not be read (${failures.join('; ')}); dmesg_excerpt.txt says why`;
  const text = [
    ...header,
    '# source: none: the kernel log could not be read',
    ...failures.map((failure) => `#   ${failure}`),
    '# With kernel.dmesg_restrict = 1 only root (or CAP_SYSLOG) may read it: run as root, or `sudo sysctl kernel.dmesg_restrict=0`.',
  ];
  return { text: `${text.join('\n')}\n`, source: null, lines: [], warning };
}

export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const restrict = readDmesgRestrict();
  const restricted = restrict === '1' ? ' (kernel.dmesg_restrict = 1)' : '';
  if (code === 'EPERM' || code === 'EACCES') return `permission denied${restricted}`;
  if (code === 'ENOENT') return 'not available on this system';
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

function readDmesgRestrict(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim();
  } catch {
    return null;
  }
}

export function bootWallMs(): number {
  const uptimeSeconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Date.now() - uptimeSeconds * 1000;
}

function defaultSources(opened: KernelLogReader | null): KernelLogSource[] {
  return [
    { name: '/dev/kmsg', read: async () => (opened ?? new KernelLogReader()).readAll() },
    {
      name: 'dmesg --raw',
      read: async () => {
        // node:child_process, not a process library: loading one would cost every run's start.
        const result = await promisify(execFile)('dmesg', ['--raw'], { maxBuffer: 64 * 1024 * 1024 });
        return result.stdout.split('\n').flatMap((line) => parseDmesgRawLine(line) ?? []);
      },
    },
  ];
}

/**
 * /dev/kmsg, read without blocking, one record per read. Each open file reads the records from the oldest the kernel
 * still holds: opened while the run goes on, what it held then (some 30 ms to read here) is read off the run's end,
 * and at the end only what came since. The constructor throws as opening /dev/kmsg does.
 */
export class KernelLogReader {
  #fd: number | null;
  readonly #records: KernelRecord[] = [];

  constructor() {
    this.#fd = openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      this.#drain();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Every record read so far and those since; the file is closed after. */
  readAll(): KernelRecord[] {
    try {
      this.#drain();
    } finally {
      this.close();
    }
    return this.#records;
  }

  close(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeSync(fd);
  }

  #drain(): void {
    if (this.#fd === null) throw new Error('the kernel log reader is closed');
    const buffer = Buffer.alloc(16384);
    for (;;) {
      let bytes: number;
      try {
        bytes = readSync(this.#fd, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        if (code === 'EPIPE') continue; // a record was overwritten while reading; the next one is fine
        throw error;
      }
      if (bytes === 0) break;
      const record = parseKmsgRecord(buffer.subarray(0, bytes).toString('utf8'));
      if (record) this.#records.push(record);
    }
  }
}

/** The kernel log opened ahead, or null where it cannot be (the excerpt then tries every source and says why). */
export function openKernelLog(): KernelLogReader | null {
  try {
    return new KernelLogReader();
  } catch {
    return null;
  }
}
