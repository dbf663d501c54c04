// Gathers what goes into the runtime image and derives its tag from a hash of all of it.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { join, relative } from 'node:path';
import { HarnessError, errorMessage } from '../common/harness-error.js';
import { staleContainerBundle } from './container-entry.js';
import { filesDigest, type StatFile } from './files-digest.js';
import { parseLddOutput } from './ldd-output.js';
import { packageClosure, type InstalledPackage } from './package-closure.js';

export const SCRATCH_BASE = 'scratch';
export const IMAGE_REPOSITORY = 'oom-harness';

/** The only packages the code inside the container imports; the rest stay on the host. */
export const CONTAINER_DEPENDENCIES = ['pdf-parse', 'csv-stringify', 'csv-parse', 'execa', 'zod'] as const;

export interface ContextFile {
  /** Path inside the build context. */
  target: string;
  /** Host file to copy from. */
  source: string;
}

export interface BuildPlan {
  tag: string;
  hash: string;
  baseImage: string;
  dockerfile: string;
  nodeRuntime: string;
  projectRoot: string;
  /** Compiled harness files and the Node runtime; package files are listed only when a build needs them. */
  files: ContextFile[];
  packages: InstalledPackage[];
}

export async function planImage(projectRoot: string, baseImage: string): Promise<BuildPlan> {
  const dockerfilePath = join(projectRoot, 'docker', 'Dockerfile');
  const dockerfile = readFileSync(dockerfilePath, 'utf8');
  const hash = createHash('sha256');
  hash.update(`base:${baseImage}\n`).update(dockerfile);

  const distRoot = join(projectRoot, 'dist', 'harness');
  const files: ContextFile[] = walk(distRoot)
    .filter((path) => path.endsWith('.js'))
    .map((file) => ({ target: join('app', 'dist', 'harness', relative(distRoot, file)), source: file }));
  if (files.length === 0) {
    throw new HarnessError('IMAGE_BUILD_FAILED', `no compiled harness in ${distRoot}`, { hint: 'Run `npm run build` first.' });
  }
  // Each compiled file is looked at once, for the bundle's age and for the digest's record.
  const stat = statOnce();
  const stale = staleContainerBundle(distRoot, stat);
  if (stale) throw new HarnessError('IMAGE_BUILD_FAILED', stale, { hint: 'Run `npm run build`, which bundles the container\'s side after compiling.' });
  hash.update(`harness:${filesDigest(files, join(projectRoot, 'dist'), Date.now(), stat)}\n`);

  let packages: InstalledPackage[];
  try {
    packages = packageClosure(projectRoot, CONTAINER_DEPENDENCIES);
  } catch (error) {
    throw new HarnessError('IMAGE_BUILD_FAILED', errorMessage(error), { cause: error, hint: 'Reinstall the harness (npm ci in a clone).' });
  }
  for (const pkg of packages) {
    hash.update(`${pkg.target}@${pkg.version}:`).update(readFileSync(join(pkg.source, 'package.json')));
  }

  let nodeRuntime = `${baseImage} (its own Node)`;
  if (baseImage === SCRATCH_BASE) {
    // The binary's identity stands for its libraries too: ldd runs only when the image is really built.
    const stats = statSync(process.execPath);
    hash.update(`node:${process.execPath}:${process.version}:${stats.size}:${stats.mtimeMs}\n`);
    nodeRuntime = `host Node ${process.version} from ${process.execPath} and the shared libraries it links`;
    files.push(...passwdFiles(projectRoot));
  }
  const digest = hash.digest('hex');
  return {
    tag: `${IMAGE_REPOSITORY}:${digest.slice(0, 12)}`,
    hash: digest,
    baseImage,
    dockerfile,
    nodeRuntime,
    projectRoot,
    files,
    packages,
  };
}

/** Every file of the build context: package files, and on scratch the libraries their native addons link. */
export async function contextFiles(plan: BuildPlan): Promise<ContextFile[]> {
  const files = [...plan.files];
  const addons: string[] = [];
  for (const pkg of plan.packages) {
    for (const file of walk(pkg.source)) {
      const inside = relative(pkg.source, file);
      if (inside.split('/')[0] === 'node_modules') continue; // nested packages have their own entries
      files.push({ target: join('app', pkg.target, inside), source: file });
      if (file.endsWith('.node')) addons.push(file);
    }
  }
  if (plan.baseImage === SCRATCH_BASE) {
    files.push(...(await hostNodeRuntime()));
    const present = new Set(files.map((file) => file.target));
    for (const addon of addons) {
      for (const library of await sharedLibraries(addon)) {
        const target = join('rootfs', library);
        if (!present.has(target)) {
          present.add(target);
          files.push({ target, source: realpathSync(library) });
        }
      }
    }
  }
  return files;
}

async function sharedLibraries(binary: string): Promise<string[]> {
  try {
    // Loaded only when an image is built: a run with the image cached never needs it.
    const { execa } = await import('execa');
    return parseLddOutput((await execa('ldd', [binary], { reject: false })).stdout);
  } catch (error) {
    throw new HarnessError('IMAGE_BUILD_FAILED', `cannot list the shared libraries of ${binary}: ${errorMessage(error)}`, {
      cause: error,
      hint: 'Install ldd (Debian package libc-bin) or build from an official Node image with --base-image node:20-bookworm-slim.',
    });
  }
}

async function hostNodeRuntime(): Promise<ContextFile[]> {
  const files: ContextFile[] = [{ target: 'rootfs/usr/local/bin/node', source: process.execPath }];
  for (const library of await sharedLibraries(process.execPath)) {
    files.push({ target: join('rootfs', library), source: realpathSync(library) });
  }
  return files;
}

/** statSync, remembered per path for one plan. */
function statOnce(): StatFile {
  const seen = new Map<string, BigIntStats>();
  return (path) => {
    let stats = seen.get(path);
    if (!stats) {
      stats = statSync(path, { bigint: true });
      seen.set(path, stats);
    }
    return stats;
  };
}

function passwdFiles(projectRoot: string): ContextFile[] {
  return [
    { target: 'rootfs/etc/passwd', source: join(projectRoot, 'docker', 'rootfs', 'etc', 'passwd') },
    { target: 'rootfs/etc/group', source: join(projectRoot, 'docker', 'rootfs', 'etc', 'group') },
  ];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}
