// The create options for a capped container: pure, so the limits asked for can be checked before the engine sees
// them. What runs and what is mounted is the caller's; the limits and the hardening are always these.
import type Docker from 'dockerode';

export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** Soft and hard alike. */
export interface ContainerUlimits {
  nofile: number;
  nproc: number;
}

export interface ContainerSpecInput {
  name: string;
  capBytes: number;
  /** null: no CPU quota. */
  cpus: number | null;
  user: string;
  pidsLimit: number;
  ulimits: ContainerUlimits;
  tmpfsBytes: number;
  labels: Record<string, string>;
  cmd: string[];
  workingDir: string;
  mounts: BindMount[];
  /** Nothing of the host's environment crosses into the container but what is listed here. */
  env: string[];
  network: 'none' | 'bridge';
}

/** /tmp in the container; its pages count against the cap like any other. */
export const TMPFS_BYTES = 64 * 1024 * 1024;

/** Everything but the image, which is known once it is built. */
export type ContainerSpec = Omit<Docker.ContainerCreateOptions, 'Image'>;

export function containerSpec(input: ContainerSpecInput): ContainerSpec {
  return {
    name: input.name,
    Cmd: input.cmd,
    User: input.user,
    WorkingDir: input.workingDir,
    Env: input.env,
    Labels: input.labels,
    NetworkDisabled: input.network === 'none',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    HostConfig: {
      Memory: input.capBytes,
      // Equal to Memory: no swap, so the cap is the cap.
      MemorySwap: input.capBytes,
      // 0 is the engine's "no quota".
      NanoCpus: input.cpus === null ? 0 : Math.round(input.cpus * 1e9),
      NetworkMode: input.network,
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,noexec,nosuid,size=${input.tmpfsBytes}` },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: input.pidsLimit,
      Ulimits: [
        { Name: 'nofile', Soft: input.ulimits.nofile, Hard: input.ulimits.nofile },
        { Name: 'nproc', Soft: input.ulimits.nproc, Hard: input.ulimits.nproc },
      ],
      Init: true,
      OomKillDisable: false,
      AutoRemove: false,
      Mounts: input.mounts.map((mount) => ({ Type: 'bind', Source: mount.source, Target: mount.target, ReadOnly: mount.readOnly })),
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '1' } },
    },
  };
}
