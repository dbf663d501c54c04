// The image a run's container starts from, and what it changes in the plan: the harness's own runtime image, or a
// user's image (exec) with the harness's runtime mounted into it and the supervisor started through its loader.
import type Docker from 'dockerode';
import { HarnessError } from '../common/harness-error.js';
import { statusCodeOf } from '../container-runtime/docker-client.js';
import { ensureImage, lookUpImage, type ImageLookup, type ImageRef } from '../image/image-builder.js';
import { ensureRuntimeDir, RUNTIME_MOUNT } from '../image/runtime-dir.js';
import type { RunConfig } from '../run-files/run-config.js';
import type { ExecSpec } from '../workloads/exec/spec.js';
import type { RunPlan } from './plan-run.js';

export interface PreparedContainer {
  image: ImageRef;
  spec: Docker.ContainerCreateOptions;
  config: RunConfig;
  /** Who must own the container's directory: a numeric user, anyone (a named user), or nobody in particular. */
  owner: { uid: number; gid: number } | 'anyone' | null;
}

const DEFAULT_USER = '1000:1000';

function ownerOf(user: string): PreparedContainer['owner'] {
  const match = /^(\d+)(?::(\d+))?$/.exec(user);
  if (!match) return user === 'root' ? null : 'anyone';
  const uid = Number(match[1]);
  return uid === 0 ? null : { uid, gid: Number(match[2] ?? match[1]) };
}

async function inspectUserImage(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (error) {
    if (statusCodeOf(error) !== 404) throw error;
    throw new HarnessError('BAD_INPUT', `--image: got ${JSON.stringify(ref)}, expected an image present on the engine (see \`docker images\`); no registry is used`);
  }
}

/** The command as it will run: the image's ENTRYPOINT first with --entrypoint keep, in the image's WorkingDir by default. */
function execConfig(plan: RunPlan, entrypoint: string[], workingDir: string): RunConfig {
  const spec = plan.config.workload as ExecSpec;
  const command = plan.exec?.keepEntrypoint ? [...entrypoint, ...spec.command] : spec.command;
  return { ...plan.config, workload: { ...spec, command, cwd: spec.cwd ?? (workingDir || '/') } };
}

/** The runtime image's lookup, started before the engine has answered; null when the run uses a user's image. */
export function lookUpRuntimeImage(docker: Docker, plan: RunPlan, projectRoot: string): Promise<ImageLookup> | null {
  if (plan.exec?.image) return null;
  const lookup = lookUpImage(docker, { projectRoot, baseImage: plan.baseImage });
  // Awaited only once the engine has answered: a failure here then comes second to "no engine".
  lookup.catch(() => undefined);
  return lookup;
}

export async function prepareContainer(docker: Docker, plan: RunPlan, projectRoot: string, onBuildStart: (tag: string) => void, lookup: Promise<ImageLookup> | null = null): Promise<PreparedContainer> {
  const exec = plan.exec;
  if (!exec?.image) {
    const image = await ensureImage(docker, { projectRoot, baseImage: plan.baseImage, onBuildStart }, lookup ?? undefined);
    const user = exec?.user ?? String(plan.containerSpec.User);
    const config = exec ? execConfig(plan, [], '/tmp') : plan.config;
    // exec --user: the container's directory belongs to that user, not to the default one the plan chose.
    const owner = exec?.user ? ownerOf(exec.user) : (plan.containerOwner ?? ownerOf(user));
    return { image, spec: { ...plan.containerSpec, Image: image.tag, User: user }, config, owner };
  }
  const info = await inspectUserImage(docker, exec.image);
  const runtime = await ensureRuntimeDir(projectRoot);
  const imageUser = info.Config.User && !/^(0|root)(:.*)?$/.test(info.Config.User) ? info.Config.User : null;
  const user = exec.user ?? imageUser ?? DEFAULT_USER;
  const spec: Docker.ContainerCreateOptions = {
    ...plan.containerSpec,
    Image: exec.image,
    Entrypoint: runtime.entrypoint,
    User: user,
    HostConfig: {
      ...plan.containerSpec.HostConfig,
      Mounts: [...(plan.containerSpec.HostConfig?.Mounts ?? []), { Type: 'bind', Source: runtime.hostDir, Target: RUNTIME_MOUNT, ReadOnly: true }],
    },
  };
  const image: ImageRef = {
    tag: exec.image,
    id: info.Id,
    hash: runtime.hash,
    baseImage: exec.image,
    nodeRuntime: `host Node ${process.version}, mounted at ${RUNTIME_MOUNT} and started through its own loader`,
    built: false,
    buildMs: null,
  };
  const entrypoint = info.Config.Entrypoint;
  const entrypointList = Array.isArray(entrypoint) ? entrypoint : entrypoint ? ['/bin/sh', '-c', entrypoint] : [];
  return { image, spec, config: execConfig(plan, entrypointList, info.Config.WorkingDir ?? '/'), owner: ownerOf(user) };
}
