// Sweeps containers left by runs whose runner is verifiably gone (SIGKILLed, crashed, machine rebooted). A container
// whose runner cannot be judged from here (another machine, another pid namespace) is left alone.
import type Docker from 'dockerode';
import { ignoreAlreadyDone } from './docker-client.js';
import { LABEL_MANAGED, LABEL_RUN_ID, LABEL_RUNNER_BOOT_ID, LABEL_RUNNER_HOST, LABEL_RUNNER_PID, LABEL_RUNNER_PID_NAMESPACE } from './labels.js';
import { pidIsAlive, type RunnerIdentity } from './runner-identity.js';

export interface SweptContainer {
  id: string;
  runId: string;
  reason: string;
}

/** Why the runner of a container with these labels is certainly dead, or null when that cannot be shown. */
export function deadRunnerReason(
  labels: Record<string, string>,
  createdWallMs: number,
  me: RunnerIdentity,
  isAlive: (pid: number) => boolean = pidIsAlive,
): string | null {
  if (labels[LABEL_RUNNER_HOST] !== me.host) return null;
  const pid = Number(labels[LABEL_RUNNER_PID]);
  const sameBoot = me.bootId !== null && labels[LABEL_RUNNER_BOOT_ID] === me.bootId;
  if (sameBoot) {
    if (me.pidNamespace === null || labels[LABEL_RUNNER_PID_NAMESPACE] !== me.pidNamespace) return null;
    if (pid === me.pid || isAlive(pid)) return null;
    return `its runner (pid ${pid}, this boot) is gone`;
  }
  if (me.bootWallMs !== null && createdWallMs < me.bootWallMs) return 'it was created before this machine last booted';
  return null;
}

export async function sweepLeftoverContainers(docker: Docker, me: RunnerIdentity, isAlive?: (pid: number) => boolean): Promise<SweptContainer[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } });
  const swept: SweptContainer[] = [];
  for (const info of containers) {
    const labels = info.Labels ?? {};
    const reason = deadRunnerReason(labels, info.Created * 1000, me, isAlive);
    if (!reason) continue;
    await ignoreAlreadyDone(docker.getContainer(info.Id).remove({ force: true, v: true }));
    swept.push({ id: info.Id, runId: labels[LABEL_RUN_ID] ?? '?', reason });
  }
  return swept;
}
