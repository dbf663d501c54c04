// Finds run directories below a folder gathered from anywhere (a claim copied out, CI artifacts): every directory
// holding a container/ (a pod's or a local run's) or a container_manifest.json. Links are listed, never followed;
// the walk is bounded in depth and entries.
import { readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { CONTAINER_MANIFEST_FILE } from '../run-files/container-manifest.js';
import { CONTAINER_SUBDIR } from '../run-files/run-dir.js';
import { entryKind } from '../run-files/safe-fs.js';

const MAX_DEPTH = 8;
const MAX_ENTRIES = 200_000;

export interface FoundDirs {
  runDirs: string[];
  /** Entries passed over, each with why: links (not followed), a walk cut short. */
  passedOver: Array<{ path: string; problem: string }>;
}

function holdsRun(dir: string): boolean {
  return entryKind(join(dir, CONTAINER_SUBDIR)) !== 'missing' || entryKind(join(dir, CONTAINER_MANIFEST_FILE)) !== 'missing';
}

/** `skip`: a directory not to enter (collect's own --out when it lies below the folder). */
export function findRunDirs(root: string, skip: string | null): FoundDirs {
  const found: FoundDirs = { runDirs: [], passedOver: [] };
  let entries = 0;
  const skipped = skip ? resolve(skip) : null;
  const visit = (dir: string, depth: number): void => {
    if (holdsRun(dir)) {
      found.runDirs.push(dir);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (error) {
      found.passedOver.push({ path: dir, problem: `cannot be listed (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    for (const name of names) {
      entries += 1;
      if (entries > MAX_ENTRIES) {
        if (entries === MAX_ENTRIES + 1) found.passedOver.push({ path: dir, problem: `the walk stopped after ${MAX_ENTRIES} entries` });
        return;
      }
      const path = join(dir, name);
      const kind = entryKind(path);
      if (kind === 'symbolic link') found.passedOver.push({ path, problem: 'a symbolic link: not followed' });
      if (kind === 'directory' && path !== skipped) visit(path, depth + 1);
    }
  };
  visit(resolve(root), 0);
  return found;
}

/** A found path as the report shows it: relative to the folder given. */
export function shownBelow(root: string, path: string): string {
  const rel = relative(resolve(root), path);
  return rel === '' ? '.' : rel.split(sep).join('/');
}
