// Can this machine reproduce an OOM faithfully? One line per requirement, each with what to do when it is not met.
import type { DoctorFacts } from './doctor-facts.js';

export interface DoctorLine {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  /** What to do about it; null when all is well. */
  fix: string | null;
}

const line = (name: string, status: DoctorLine['status'], detail: string, fix: string | null = null): DoctorLine => ({ name, status, detail, fix });

function engineLines(facts: DoctorFacts): DoctorLine[] {
  const engine = facts.engine;
  if (!engine.ok && engine.endpoint === null) {
    return [line('engine', 'fail', engine.error, '`docker context ls` lists the contexts; `docker context use default` (or unsetting DOCKER_CONTEXT) goes back to the default socket')];
  }
  if (!engine.ok) {
    // A socket that refuses this user is a running engine: the fix is access, not starting one.
    const denied = /EACCES|permission denied/i.test(engine.error);
    return [
      line(
        'engine',
        'fail',
        `${denied ? 'the engine refuses this user' : 'no engine answers'} at ${engine.endpoint}: ${engine.error}`,
        denied
          ? 'run as root, or add this user to the docker group (`sudo usermod -aG docker $USER`, then log in again)'
          : "start one (Debian: `sudo apt-get install docker.io`, then `sudo systemctl start docker`; from a clone `sudo scripts/setup`), or choose a running engine with DOCKER_HOST or `docker context use`",
      ),
    ];
  }
  const lines = [line('engine', 'ok', `${engine.product} ${engine.version}, API ${engine.apiVersion}, at ${engine.endpoint}`)];
  if (engine.memoryLimit === false) lines.push(line('memory limit', 'fail', 'the engine cannot limit memory', 'enable the memory cgroup controller (cgroup_enable=memory on the kernel command line)'));
  if (engine.swapLimit === false) {
    lines.push(line('swap limit', 'fail', 'the engine cannot limit memory+swap: a capped container may swap instead of being killed', 'enable swap accounting (swapaccount=1 on the kernel command line, or use cgroup v2)'));
  } else {
    lines.push(line('swap limit', 'ok', engine.swapLimit ? 'memory+swap can be held to the cap' : 'the engine does not report swap-limit support; the harness sets memory+swap = the cap'));
  }
  return lines;
}

function kernelLines(facts: DoctorFacts): DoctorLine[] {
  const cgroup = facts.hostCgroupVersion;
  const lines = [
    cgroup === null
      ? line('cgroup', 'fail', 'no memory cgroup found under /sys/fs/cgroup', 'mount the cgroup filesystem with the memory controller')
      : line('cgroup', 'ok', `cgroup v${cgroup}${facts.engine.ok && facts.engine.cgroupVersion ? ` (the engine: v${facts.engine.cgroupVersion})` : ''}`),
  ];
  if (facts.kmsgReadable) lines.push(line('kernel log', 'ok', `/dev/kmsg is readable (dmesg_restrict=${facts.dmesgRestrict ?? '?'}): OOM reports go into dmesg_excerpt.txt`));
  else {
    lines.push(
      line('kernel log', 'warn', `/dev/kmsg cannot be read (dmesg_restrict=${facts.dmesgRestrict ?? '?'}): bundles will say the kernel's OOM report is unavailable`, 'run as root, or set kernel.dmesg_restrict=0 (sysctl)'),
    );
  }
  const hwm = facts.highWaterMark;
  if (hwm?.present) lines.push(line('high-water mark', 'ok', `the cgroup keeps its peak (${hwm.file})`));
  else {
    lines.push(
      line('high-water mark', 'warn', `no ${hwm ? hwm.file : 'memory cgroup file'}: the kernel's peak is unavailable, only sampled figures`, 'on cgroup v2 memory.peak needs Linux 5.19 or later'),
    );
  }
  return lines;
}

function memoryLines(facts: DoctorFacts, typicalCapMb: number): DoctorLine[] {
  const lines: DoctorLine[] = [];
  const engineMb = facts.engine.ok && facts.engine.memTotalBytes ? Math.round(facts.engine.memTotalBytes / 2 ** 20) : null;
  if (engineMb !== null && typicalCapMb > engineMb) {
    lines.push(line('cap', 'fail', `a ${typicalCapMb} MiB cap is above the engine's ${engineMb} MiB: it could never bind, and runs refuse it`, 'use a smaller cap, or an engine with more memory'));
  }
  const available = facts.memAvailableMb;
  if (available === null) lines.push(line('free memory', 'warn', 'MemAvailable is not in /proc/meminfo'));
  else if (available < typicalCapMb * 1.25) {
    lines.push(line('free memory', 'warn', `${available} MiB available, under 125% of a ${typicalCapMb} MiB cap: the host may run short before the cap binds`, 'use a smaller cap, or free memory first'));
  } else lines.push(line('free memory', 'ok', `${available} MiB available of ${facts.memTotalMb ?? '?'} MiB; a ${typicalCapMb} MiB cap fits with room`));
  lines.push(
    line('swap', 'ok', facts.swapTotalMb ? `${facts.swapTotalMb} MiB of swap on the host; containers get none (memory+swap = the cap)` : 'no swap on the host; containers get none either way'),
  );
  const limits = `containers get nofile ${facts.ulimits.nofile}, nproc ${facts.ulimits.nproc} (this shell's hard limits, nproc at most 32768)`;
  lines.push(
    facts.ulimits.nofile < 1024
      ? line('ulimits', 'warn', limits, 'raise the hard nofile limit (ulimit -Hn) of the shell that runs the harness')
      : line('ulimits', 'ok', limits),
  );
  return lines;
}

function bundleLine(facts: DoctorFacts): DoctorLine {
  return facts.staleBundle
    ? line('container bundle', 'fail', facts.staleBundle, 'run `npm run build`, which bundles the container\'s side after compiling')
    : line('container bundle', 'ok', 'the supervisor and workers are bundled from the compiled files');
}

export function doctorLines(facts: DoctorFacts, typicalCapMb = 2048): DoctorLine[] {
  return [...engineLines(facts), bundleLine(facts), ...kernelLines(facts), ...memoryLines(facts, typicalCapMb)];
}

export function renderDoctor(lines: readonly DoctorLine[]): string {
  const width = Math.max(...lines.map((l) => l.name.length));
  const rows = lines.map((l) => `${l.status.toUpperCase().padEnd(4)}  ${l.name.padEnd(width)}  ${l.detail}${l.fix ? `\n      ${' '.repeat(width)}  fix: ${l.fix}` : ''}`);
  const failed = lines.filter((l) => l.status === 'fail').length;
  rows.push(failed ? `${failed} problem(s): this machine cannot reproduce an OOM faithfully until they are fixed` : 'this machine can reproduce an OOM faithfully');
  return `${rows.join('\n')}\n`;
}
