// Who started a container, in terms that survive the runner: the machine's boot, its pid namespace and its pid.
// A leftover container is swept only when these prove its runner is gone.
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

export interface RunnerIdentity {
  host: string;
  bootId: string | null;
  pidNamespace: string | null;
  pid: number;
  /** When this machine booted, in epoch milliseconds. */
  bootWallMs: number | null;
}

function readOrNull(read: () => string): string | null {
  try {
    return read().trim() || null;
  } catch {
    return null;
  }
}

export function currentRunner(): RunnerIdentity {
  const uptime = readOrNull(() => readFileSync('/proc/uptime', 'utf8'));
  const seconds = uptime === null ? Number.NaN : Number(uptime.split(' ')[0]);
  return {
    host: hostname(),
    bootId: readOrNull(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
    pidNamespace: readOrNull(() => readlinkSync('/proc/self/ns/pid')),
    pid: process.pid,
    bootWallMs: Number.isFinite(seconds) ? Date.now() - seconds * 1000 : null,
  };
}

export function pidIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
