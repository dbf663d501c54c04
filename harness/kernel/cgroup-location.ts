// Finds the memory cgroup of this process (inside a container: the container's own) and its version.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupFileReader, CgroupVersion } from './cgroup-memory.js';

export interface CgroupLocation {
  version: CgroupVersion;
  dir: string;
}

export interface ProcCgroupEntry {
  hierarchyId: string;
  controllers: string[];
  path: string;
}

export function parseProcCgroup(text: string): ProcCgroupEntry[] {
  const entries: ProcCgroupEntry[] = [];
  for (const line of text.split('\n')) {
    const match = /^([^:]+):([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, hierarchyId = '', controllers = '', path = ''] = match;
    entries.push({ hierarchyId, controllers: controllers ? controllers.split(',') : [], path });
  }
  return entries;
}

/** Candidate directories, most specific first, for the memory cgroup named in /proc/self/cgroup. */
export function memoryCgroupCandidates(entries: ProcCgroupEntry[], root = '/sys/fs/cgroup'): CgroupLocation[] {
  const candidates: CgroupLocation[] = [];
  const add = (version: CgroupVersion, dir: string) => {
    const clean = dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
    if (!candidates.some((candidate) => candidate.version === version && candidate.dir === clean)) candidates.push({ version, dir: clean });
  };
  // Inside a container the named path often does not exist: the container's own cgroup is mounted at the root.
  const v1 = entries.find((entry) => entry.controllers.includes('memory'));
  if (v1) {
    add(1, join(root, 'memory', v1.path));
    add(1, join(root, 'memory'));
  }
  const v2 = entries.find((entry) => entry.hierarchyId === '0' && entry.controllers.length === 0);
  if (v2) {
    add(2, join(root, v2.path));
    add(2, root);
  }
  return candidates;
}

export function locateOwnMemoryCgroup(root = '/sys/fs/cgroup'): CgroupLocation | null {
  let text: string;
  try {
    text = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return null;
  }
  for (const candidate of memoryCgroupCandidates(parseProcCgroup(text), root)) {
    const probe = candidate.version === 1 ? 'memory.usage_in_bytes' : 'memory.current';
    if (existsSync(join(candidate.dir, probe))) return candidate;
  }
  return null;
}

/** The cgroup version the host runs: v2 when the unified hierarchy carries the memory controller. */
export function detectHostCgroupVersion(root = '/sys/fs/cgroup'): CgroupVersion | null {
  try {
    const controllers = readFileSync(join(root, 'cgroup.controllers'), 'utf8');
    if (controllers.split(/\s+/).includes('memory')) return 2;
  } catch {
    // not a unified root
  }
  return existsSync(join(root, 'memory')) ? 1 : null;
}

/** A reader of the cgroup's files; `read` may be a KeptFiles reader for files read on every sample. */
export function directoryReader(dir: string, read: (path: string) => string = (path) => readFileSync(path, 'utf8')): CgroupFileReader {
  return (name) => {
    try {
      return read(join(dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
}
