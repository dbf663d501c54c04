// Parses /proc/<pid>/limits: the resource limits a process runs under, soft and hard, null meaning unlimited.
import { readFileSync } from 'node:fs';

export interface ResourceLimit {
  soft: number | null;
  hard: number | null;
}

export type ProcLimits = Map<string, ResourceLimit>;

/** Limit name as the kernel prints it ("Max open files") to its figures. */
export function parseProcLimits(text: string): ProcLimits {
  const limits: ProcLimits = new Map();
  for (const line of text.split('\n')) {
    // Columns are separated by runs of spaces; names have single spaces inside them.
    const match = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    if (!match) continue;
    limits.set(match[1]!, { soft: limitValue(match[2]!), hard: limitValue(match[3]!) });
  }
  return limits;
}

function limitValue(text: string): number | null {
  if (text === 'unlimited') return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** This process's limits, or an empty map where /proc cannot be read. */
export function readOwnLimits(path = '/proc/self/limits'): ProcLimits {
  try {
    return parseProcLimits(readFileSync(path, 'utf8'));
  } catch {
    return new Map();
  }
}
