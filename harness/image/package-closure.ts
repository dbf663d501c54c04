// The installed packages a set of root dependencies needs, found on disk the way Node resolves them (each package's
// own node_modules, then its parents'), and laid out again under one node_modules tree for the image. Works the same
// from a clone (packages under the project) and from an install (packages hoisted beside the harness, as npm does).
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

export interface InstalledPackage {
  name: string;
  version: string;
  /** Real directory on the host. */
  source: string;
  /** Where it goes under the image's app directory: node_modules/<name>, nested only to keep two versions apart. */
  target: string;
}

interface Manifest {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export function packageClosure(projectRoot: string, roots: readonly string[]): InstalledPackage[] {
  const placed = new Map<string, InstalledPackage>(); // by target
  const queue = roots.map((name) => ({ name, from: projectRoot, fromTarget: '', optional: false }));
  while (queue.length > 0) {
    const { name, from, fromTarget, optional } = queue.shift()!;
    const source = resolvePackageDir(name, from);
    if (source === null) {
      if (optional) continue;
      throw new Error(`cannot find the installed package ${name} (needed by ${fromTarget || 'the harness'}) from ${from}`);
    }
    const top = posix.join('node_modules', name);
    const atTop = placed.get(top);
    let target = top;
    if (atTop && atTop.source !== source) target = posix.join(fromTarget, 'node_modules', name);
    const already = placed.get(target);
    if (already) {
      if (already.source !== source) throw new Error(`two versions of ${name} would share ${target}`);
      continue;
    }
    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as Manifest;
    placed.set(target, { name, version: manifest.version ?? '?', source, target });
    for (const dep of Object.keys(manifest.dependencies ?? {})) queue.push({ name: dep, from: source, fromTarget: target, optional: false });
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) queue.push({ name: dep, from: source, fromTarget: target, optional: true });
  }
  return [...placed.values()].sort((a, b) => (a.target < b.target ? -1 : 1));
}

/** The directory Node would load `name` from when required in `from`, or null. */
function resolvePackageDir(name: string, from: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (isDirectory(candidate)) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
