// The packages a set of root dependencies needs, resolved from package-lock.json the way Node resolves them.
export interface LockPackage {
  version?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  dev?: boolean;
}

export interface LockFile {
  packages: Record<string, LockPackage>;
}

export function lockfileClosure(lock: LockFile, roots: readonly string[]): string[] {
  const found = new Set<string>();
  const queue: Array<{ name: string; from: string; optional: boolean }> = roots.map((name) => ({ name, from: '', optional: false }));
  while (queue.length > 0) {
    const { name, from, optional } = queue.shift()!;
    const path = resolvePackage(lock, name, from);
    if (path === null) {
      if (optional) continue;
      throw new Error(`package-lock.json has no entry for ${name} (needed by ${from || 'the project'})`);
    }
    if (found.has(path)) continue;
    found.add(path);
    const entry = lock.packages[path]!;
    for (const dep of Object.keys(entry.dependencies ?? {})) queue.push({ name: dep, from: path, optional: false });
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) queue.push({ name: dep, from: path, optional: true });
  }
  return [...found].sort();
}

function resolvePackage(lock: LockFile, name: string, from: string): string | null {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return null;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}
