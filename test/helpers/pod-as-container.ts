// Runs one index of an emitted Job the way its pod would run, with docker instead of a kubelet: the pod template's
// command, env (JOB_COMPLETION_INDEX and the downward API filled in), user, memory and CPU limits, read-only root,
// dropped capabilities, and its volumes as directories (the ConfigMap laid out as a kubelet lays it out: links to a
// ..data directory). No network, as the emitted NetworkPolicy asks.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { parseMemoryQuantity } from '../../harness/k8s/quantities.js';

export const TEST_POD_LABEL = 'io.oom-harness.test-pod';

/** A directory as a kubelet fills it from a ConfigMap: each key a link into ..data, itself a link to a dated folder. */
export function configMapDir(dir: string, configMap: IConfigMap): void {
  const dated = '..2026_11_25_00_00_00.000000001';
  mkdirSync(join(dir, dated), { recursive: true });
  for (const [key, value] of Object.entries(configMap.data ?? {})) {
    writeFileSync(join(dir, dated, key), value);
    symlinkSync(`..data/${key}`, join(dir, key));
  }
  symlinkSync(dated, join(dir, '..data'));
}

export interface PodRun {
  job: IJob;
  index: number;
  image: string;
  /** Host directories standing for the pod's volumes, by volume name (the ConfigMap's laid out by configMapDir). */
  volumes: Record<string, string>;
  podName: string;
}

export function podContainerOptions(run: PodRun): Docker.ContainerCreateOptions {
  const spec = run.job.spec!.template.spec!;
  const container = spec.containers[0]!;
  const memory = parseMemoryQuantity(String(container.resources!.limits!.memory));
  if (memory === null) throw new Error(`limits.memory ${String(container.resources!.limits!.memory)} is not a quantity the harness writes`);
  const fields: Record<string, string> = { 'metadata.name': run.podName, 'metadata.namespace': 'default', 'spec.nodeName': 'docker-node' };
  const env = (container.env ?? []).map((entry) => `${entry.name}=${entry.value ?? fields[entry.valueFrom!.fieldRef!.fieldPath]!}`);
  const mounts: Docker.MountSettings[] = (container.volumeMounts ?? []).map((mount) => {
    const volume = spec.volumes!.find((candidate) => candidate.name === mount.name)!;
    if (volume.emptyDir?.medium === 'Memory') {
      return { Type: 'tmpfs', Source: '', Target: mount.mountPath, TmpfsOptions: { SizeBytes: parseMemoryQuantity(String(volume.emptyDir.sizeLimit))!, Mode: 0o1777 } };
    }
    const readOnly = Boolean(mount.readOnly || volume.persistentVolumeClaim?.readOnly);
    if (!run.volumes[mount.name]) throw new Error(`no host directory stands for the pod's volume ${mount.name}`);
    return { Type: 'bind', Source: run.volumes[mount.name]!, Target: mount.mountPath, ReadOnly: readOnly };
  });
  const security = container.securityContext!;
  const cpu = String(container.resources!.limits!.cpu);
  return {
    name: `${run.podName}-test`,
    Image: run.image,
    Entrypoint: container.command,
    Cmd: container.args ?? [],
    Env: [...env, `JOB_COMPLETION_INDEX=${run.index}`],
    User: `${spec.securityContext!.runAsUser}:${spec.securityContext!.runAsGroup}`,
    Labels: { [TEST_POD_LABEL]: 'true' },
    HostConfig: {
      Memory: memory,
      MemorySwap: memory,
      NanoCpus: Math.round((cpu.endsWith('m') ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu)) * 1e9),
      ReadonlyRootfs: Boolean(security.readOnlyRootFilesystem),
      CapDrop: security.capabilities?.drop ?? [],
      SecurityOpt: security.allowPrivilegeEscalation === false ? ['no-new-privileges'] : [],
      GroupAdd: [String(spec.securityContext!.fsGroup)],
      NetworkMode: 'none',
      Mounts: mounts,
    },
  };
}

/** Creates, starts and waits for the pod's container; it is removed whatever happens. Returns its exit and logs. */
export async function runPodContainer(docker: Docker, run: PodRun): Promise<{ exitCode: number; oomKilled: boolean; logs: string }> {
  const container = await docker.createContainer(podContainerOptions(run));
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const info = await container.inspect();
    const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    return { exitCode: StatusCode, oomKilled: info.State.OOMKilled, logs };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
