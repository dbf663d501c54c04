// Parses /proc/<pid>/status: the figures the kernel keeps for one process, in bytes.
export interface ProcessMemory {
  name: string;
  pid: number;
  /** PPid: the parent, for a process tree. */
  ppid: number | null;
  rssBytes: number;
  vmsBytes: number;
  /** VmHWM: the process's resident high-water mark, which catches peaks between samples. */
  hwmBytes: number;
  /** RssAnon: private memory; unlike RSS it is not counted again in every process that maps the same file. */
  anonBytes: number;
}

const KIB = 1024;

export function parseProcStatus(text: string): ProcessMemory | null {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const pid = Number(fields.get('Pid'));
  // Zombies and kernel threads have no Vm* lines: nothing resident to report.
  const rss = kibField(fields.get('VmRSS'));
  if (!Number.isInteger(pid) || rss === null) return null;
  return {
    name: fields.get('Name') ?? '',
    pid,
    ppid: Number.isInteger(Number(fields.get('PPid'))) && fields.has('PPid') ? Number(fields.get('PPid')) : null,
    rssBytes: rss,
    vmsBytes: kibField(fields.get('VmSize')) ?? 0,
    hwmBytes: kibField(fields.get('VmHWM')) ?? rss,
    anonBytes: kibField(fields.get('RssAnon')) ?? rss,
  };
}

function kibField(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /^(\d+)\s*kB$/.exec(value);
  return match ? Number(match[1]) * KIB : null;
}
