// Makes sure the runtime image for this build of the harness exists, building it offline when it does not.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { HarnessError, errorMessage } from '../common/harness-error.js';
import { statusCodeOf } from '../container-runtime/docker-client.js';
import { LABEL_IMAGE_HASH, LABEL_IMAGE_SOURCE, LABEL_IMAGE_VERSION } from '../container-runtime/labels.js';
import { HARNESS_VERSION } from '../common/version.js';
import { createHash } from 'node:crypto';
import { contextFiles, planImage, SCRATCH_BASE, type BuildPlan } from './build-context.js';

export interface ImageRef {
  tag: string;
  id: string;
  hash: string;
  baseImage: string;
  nodeRuntime: string;
  /** True when this call built it; false when it was already there. */
  built: boolean;
  buildMs: number | null;
}

export interface EnsureImageOptions {
  projectRoot: string;
  baseImage?: string;
  onBuildStart?: (tag: string) => void;
  onProgress?: (line: string) => void;
}

/** The image's plan and whether the engine has it: asked ahead, while a run's other questions to the engine go out. */
export interface ImageLookup {
  plan: BuildPlan;
  existing: string | null;
}

export async function lookUpImage(docker: Docker, options: EnsureImageOptions): Promise<ImageLookup> {
  const plan = await planImage(options.projectRoot, options.baseImage ?? SCRATCH_BASE);
  return { plan, existing: await inspectImage(docker, plan.tag) };
}

export async function ensureImage(docker: Docker, options: EnsureImageOptions, lookup?: Promise<ImageLookup>): Promise<ImageRef> {
  const { plan, existing } = await (lookup ?? lookUpImage(docker, options));
  const ref = { tag: plan.tag, hash: plan.hash, baseImage: plan.baseImage, nodeRuntime: plan.nodeRuntime };
  if (existing) return { ...ref, id: existing, built: false, buildMs: null };
  const started = Date.now();
  options.onBuildStart?.(plan.tag);
  await buildImage(docker, plan, options.onProgress ?? (() => undefined));
  const id = await inspectImage(docker, plan.tag);
  if (!id) throw new HarnessError('IMAGE_BUILD_FAILED', `the engine reported no image ${plan.tag} after building it`);
  await removeSupersededImages(docker, id, sourceLabels(plan));
  return { ...ref, id, built: true, buildMs: Date.now() - started };
}

/** Which install built an image: its version and a hash of its directory, never the path itself. */
export function sourceLabels(plan: Pick<BuildPlan, 'hash' | 'projectRoot'>): Record<string, string> {
  const source = createHash('sha256').update(plan.projectRoot).digest('hex').slice(0, 16);
  return { [LABEL_IMAGE_HASH]: plan.hash, [LABEL_IMAGE_VERSION]: HARNESS_VERSION, [LABEL_IMAGE_SOURCE]: source };
}

/** Earlier images of this same install and version: its own rebuilds, which nothing else can use. */
export async function removeSupersededImages(docker: Docker, keepId: string, labels: Record<string, string>): Promise<void> {
  const filter = [`${LABEL_IMAGE_VERSION}=${labels[LABEL_IMAGE_VERSION]}`, `${LABEL_IMAGE_SOURCE}=${labels[LABEL_IMAGE_SOURCE]}`];
  const images = await docker.listImages({ filters: { label: filter } }).catch(() => []);
  for (const image of images) {
    // An image a container still uses stays (409); the next build tries again.
    if (image.Id !== keepId) await docker.getImage(image.Id).remove({ force: false }).catch(() => undefined);
  }
}

/**
 * Removes the runtime images of other harness builds, on request only: two checkouts or versions sharing an engine
 * each keep their own image until a user prunes. An image a container still uses stays (the engine answers 409).
 */
export async function pruneOtherImages(docker: Docker, keepId: string): Promise<{ removed: string[]; inUse: string[] }> {
  const images = await docker.listImages({ filters: { label: [LABEL_IMAGE_HASH] } });
  const removed: string[] = [];
  const inUse: string[] = [];
  for (const image of images) {
    if (image.Id === keepId) continue;
    const name = image.RepoTags?.find((tag) => tag !== '<none>:<none>') ?? image.Id;
    const gone = await docker.getImage(image.Id).remove({ force: false }).then(() => true, () => false);
    (gone ? removed : inUse).push(name);
  }
  return { removed, inUse };
}

async function inspectImage(docker: Docker, tag: string): Promise<string | null> {
  try {
    return (await docker.getImage(tag).inspect()).Id;
  } catch (error) {
    if (statusCodeOf(error) === 404) return null;
    throw error;
  }
}

async function buildImage(docker: Docker, plan: BuildPlan, onProgress: (line: string) => void): Promise<void> {
  const contextDir = mkdtempSync(join(tmpdir(), 'oom-harness-image-'));
  try {
    writeFileSync(join(contextDir, 'Dockerfile'), plan.dockerfile);
    mkdirSync(join(contextDir, 'rootfs'), { recursive: true });
    for (const file of await contextFiles(plan)) {
      const target = join(contextDir, file.target);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file.source, target);
    }
    writeFileSync(join(contextDir, 'app', 'package.json'), '{ "type": "module", "private": true }\n');
    // Loaded only when an image is built: a run with the image cached never needs it.
    const { create: createTar } = await import('tar');
    const tarball = createTar({ cwd: contextDir, portable: true }, ['Dockerfile', 'rootfs', 'app']);
    const stream = await docker.buildImage(tarball as unknown as NodeJS.ReadableStream, {
      t: plan.tag,
      buildargs: { BASE_IMAGE: plan.baseImage },
      labels: sourceLabels(plan),
      rm: true,
      forcerm: true,
    });
    await followBuild(docker, stream, onProgress);
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    const offlineHint =
      plan.baseImage === SCRATCH_BASE
        ? undefined
        : `The base image ${plan.baseImage} must be present locally or pullable; without a registry, use the default scratch base.`;
    throw new HarnessError('IMAGE_BUILD_FAILED', `building ${plan.tag} from ${plan.baseImage} failed: ${errorMessage(error)}`, {
      cause: error,
      ...(offlineHint ? { hint: offlineHint } : {}),
    });
  } finally {
    rmSync(contextDir, { recursive: true, force: true });
  }
}

function followBuild(docker: Docker, stream: NodeJS.ReadableStream, onProgress: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        if (error) return reject(error);
        const failed = output.find((event) => event.error || event.errorDetail);
        if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error ?? 'unknown build error'));
        resolve();
      },
      (event: { stream?: string }) => {
        const line = event.stream?.trim();
        if (line) onProgress(line);
      },
    );
  });
}
