// --out is input like any other: checked before anything starts, and created one component at a time (never with
// a recursive mkdir, which spins forever under /proc on Node 20).
import { accessSync, constants, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { HarnessError } from '../common/harness-error.js';

/** Kernel filesystems: nothing a run writes belongs there. */
const PSEUDO_FILESYSTEMS = ['/proc', '/sys', '/dev'];
const EXPECTED = 'a directory that exists, or that can be created under an existing writable directory (not under /proc, /sys or /dev)';

function refuse(shown: string, problem: string, option: string): HarnessError {
  return new HarnessError('BAD_OPTION', `${option}: ${JSON.stringify(shown)} ${problem}; expected ${EXPECTED}`);
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}${sep}`);
}

/** The missing components of `path` below its deepest existing ancestor, and that ancestor. */
function splitExisting(path: string, shown: string, option: string): { existing: string; missing: string[] } {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      statSync(current);
      return { existing: current, missing };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw refuse(shown, `has a file where a directory should be (${dirname(current)})`, option);
      if (code !== 'ENOENT') throw refuse(shown, `cannot be checked (${code ?? 'unknown error'} at ${current})`, option);
    }
    const parent = dirname(current);
    if (parent === current) throw refuse(shown, 'has no existing ancestor', option);
    missing.unshift(current);
    current = parent;
  }
}

/** Checks --out (or the `option` named) and creates what is missing of it; returns its absolute path. Throws exit-2 errors only. */
export function prepareOutDir(given: string, option = '--out'): string {
  const path = resolve(given);
  const { existing, missing } = splitExisting(path, given, option);
  const real = realpathSync(existing);
  if (PSEUDO_FILESYSTEMS.some((root) => isUnder(real, root) || isUnder(path, root))) throw refuse(given, `is under ${real.split(sep).slice(0, 2).join(sep)}`, option);
  if (!statSync(existing).isDirectory()) throw refuse(given, missing.length > 0 ? `has a file where a directory should be (${existing})` : 'is a file, not a directory', option);
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw refuse(given, `cannot be written: ${existing} is not writable by this user`, option);
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir, { mode: 0o755 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw refuse(given, `could not be created (${code ?? 'unknown error'} at ${dir})`, option);
    }
  }
  return path;
}
