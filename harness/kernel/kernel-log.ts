// Pure parsing and filtering of kernel log records: /dev/kmsg lines and `dmesg --raw` lines.
export interface KernelRecord {
  /** Microseconds since boot (the kernel's monotonic clock). */
  usec: number;
  level: number | null;
  message: string;
}

/** A /dev/kmsg record: "6,1234,5678901,-;message", continuation lines (" KEY=value") dropped. */
export function parseKmsgRecord(raw: string): KernelRecord | null {
  const semicolon = raw.indexOf(';');
  if (semicolon < 0) return null;
  const [priority, , usec] = raw.slice(0, semicolon).split(',');
  const time = Number(usec);
  if (!Number.isFinite(time)) return null;
  const message = raw.slice(semicolon + 1).split('\n')[0] ?? '';
  return { usec: time, level: Number(priority) & 7, message: unescapeKmsg(message) };
}

/** A `dmesg --raw` line: "<6>[  123.456789] message". */
export function parseDmesgRawLine(line: string): KernelRecord | null {
  const match = /^(?:<(\d+)>)?\[\s*(\d+)\.(\d+)\]\s?(.*)$/.exec(line);
  if (!match) return null;
  const [, level, seconds = '0', fraction = '0', message = ''] = match;
  return { usec: Number(seconds) * 1e6 + Number(fraction.padEnd(6, '0').slice(0, 6)), level: level === undefined ? null : Number(level) & 7, message };
}

function unescapeKmsg(text: string): string {
  return text.replace(/\\x([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export const DMESG_FILTER_DESCRIPTION =
  'OOM-killer reports ("invoked oom-killer" through "Killed process") whose oom-kill line names the container\'s cgroup, ' +
  'and oom_reaper lines for the processes those reports killed';

/**
 * The OOM reports that belong to one container: a report runs from "invoked oom-killer" to its
 * "Killed process" line and belongs to the container when its oom-kill line names the container's cgroup.
 * Nothing else is kept, so unrelated host messages never reach the bundle.
 */
export function selectContainerOomRecords(records: readonly KernelRecord[], containerId: string): KernelRecord[] {
  const selected: KernelRecord[] = [];
  const killedPids = new Set<string>();
  let report: KernelRecord[] | null = null;
  let belongs = false;
  for (const record of records) {
    const message = record.message;
    if (/invoked oom-killer:/.test(message)) {
      report = [record];
      belongs = false;
      continue;
    }
    if (report) {
      // Another subsystem may log while the report is printed: keep only lines an OOM report is made of.
      if (isOomReportLine(message)) report.push(record);
      if (/^oom-kill:/.test(message) && message.includes(containerId)) belongs = true;
      const killed = /(?:Memory cgroup out of memory|Out of memory): Killed process (\d+)/.exec(message);
      if (killed) {
        if (belongs) {
          selected.push(...report);
          killedPids.add(killed[1]!);
        }
        report = null;
      }
      continue;
    }
    const reaped = /^oom_reaper: reaped process (\d+)/.exec(message);
    if (reaped && killedPids.has(reaped[1]!)) selected.push(record);
  }
  return selected;
}

const OOM_REPORT_LINES: RegExp[] = [
  /^CPU: \d+ /,
  /^Tainted: /,
  /^Hardware name: /,
  /^Call Trace:/,
  /^\s*<\/?(TASK|IRQ)>/,
  /^\s*(\? )?[\w.]+\+0x[0-9a-f]+\/0x[0-9a-f]+/,
  /^(RIP|RSP|RAX|RDX|RBP|R1\d|R0\d|R\d|FS|CS|CR2|Code): /,
  /^(memory|memory\+swap|kmem|swap): usage \d+kB, limit \d+kB, failcnt \d+/,
  /^Memory cgroup stats for /,
  /^[a-z_]+ \d+$/,
  /^Tasks state \(memory values in pages\):/,
  /^\[\s+pid\s+\]/,
  /^\[\s*\d+\]\s+\d+\s+\d+\s+\d+/,
  /^oom-kill:/,
  /^(Memory cgroup out of memory|Out of memory): Killed process \d+/,
];

export function isOomReportLine(message: string): boolean {
  return OOM_REPORT_LINES.some((pattern) => pattern.test(message));
}

export function formatKernelRecord(record: KernelRecord): string {
  return `[${(record.usec / 1e6).toFixed(6).padStart(13)}] ${record.message}`;
}
