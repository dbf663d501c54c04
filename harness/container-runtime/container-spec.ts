// The create options for a capped run: pure, so the limits asked for can be checked before the engine sees them.
import type Docker from 'dockerode';
import { CONTAINER_CONFIG_PATH, CONTAINER_INPUT_DIR, CONTAINER_OUT_DIR } from '../common/run-config.js';

export interface ContainerSpecInput {
  image: string;
  runId: string;
  capBytes: number;
  cpus: number;
  user: string;
  pidsLimit: number;
  tmpfsBytes: number;
  labels: Record<string, string>;
  /** Host path of the container's directory, mounted writable at /out: the only place the container can write. */
  containerDir: string;
  /** Host path of run-config.json, mounted read-only. */
  configFile: string;
  /** Host path of the input and where it appears in the container, mounted read-only. */
  input: { hostPath: string; containerPath: string } | null;
}

export function containerSpec(input: ContainerSpecInput): Docker.ContainerCreateOptions {
  const mounts: Docker.MountSettings[] = [
    { Type: 'bind', Source: input.containerDir, Target: CONTAINER_OUT_DIR, ReadOnly: false },
    { Type: 'bind', Source: input.configFile, Target: CONTAINER_CONFIG_PATH, ReadOnly: true },
  ];
  if (input.input) {
    mounts.push({ Type: 'bind', Source: input.input.hostPath, Target: input.input.containerPath, ReadOnly: true });
  }
  return {
    name: `oom-harness-${input.runId}`,
    Image: input.image,
    Cmd: [CONTAINER_CONFIG_PATH],
    User: input.user,
    WorkingDir: CONTAINER_OUT_DIR,
    // Only what the supervisor needs: nothing of the host's environment crosses into the container.
    Env: ['NODE_ENV=production'],
    Labels: input.labels,
    NetworkDisabled: true,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    HostConfig: {
      Memory: input.capBytes,
      // Equal to Memory: no swap, so the cap is the cap.
      MemorySwap: input.capBytes,
      NanoCpus: Math.round(input.cpus * 1e9),
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,noexec,nosuid,size=${input.tmpfsBytes}` },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: input.pidsLimit,
      Init: true,
      OomKillDisable: false,
      AutoRemove: false,
      Mounts: mounts,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '1' } },
    },
  };
}

export function containerInputPath(name: string, isDirectory: boolean): string {
  return isDirectory ? CONTAINER_INPUT_DIR : `${CONTAINER_INPUT_DIR}/${name}`;
}
