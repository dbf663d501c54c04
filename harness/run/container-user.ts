// The unprivileged user the container runs as: the invoking user, or 1000 when the harness runs as root.
export const FALLBACK_CONTAINER_UID = 1000;

export interface ContainerUser {
  uid: number;
  gid: number;
  spec: string;
  /** True when the runner must hand the run directory to this user (it runs as root). */
  needsChown: boolean;
}

export function containerUser(uid: number, gid: number): ContainerUser {
  if (uid !== 0) return { uid, gid, spec: `${uid}:${gid}`, needsChown: false };
  const id = FALLBACK_CONTAINER_UID;
  return { uid: id, gid: id, spec: `${id}:${id}`, needsChown: true };
}

/** The container user for whoever runs the harness now. */
export function currentContainerUser(): ContainerUser {
  return containerUser(process.getuid?.() ?? FALLBACK_CONTAINER_UID, process.getgid?.() ?? FALLBACK_CONTAINER_UID);
}
