// Sweeps containers left by runs whose runner is gone (SIGKILLed, crashed, machine rebooted).
import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { ignoreAlreadyDone } from './docker-client.js';
import { LABEL_MANAGED, LABEL_RUN_ID, LABEL_RUNNER_HOST, LABEL_RUNNER_PID } from './labels.js';

export interface SweptContainer {
  id: string;
  runId: string;
}

export function runnerIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function sweepLeftoverContainers(
  docker: Docker,
  isAlive: (pid: number) => boolean = runnerIsAlive,
): Promise<SweptContainer[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } });
  const here = hostname();
  const swept: SweptContainer[] = [];
  for (const info of containers) {
    const labels = info.Labels ?? {};
    // A container started from another machine sharing this engine is not ours to judge.
    if (labels[LABEL_RUNNER_HOST] !== here) continue;
    const pid = Number(labels[LABEL_RUNNER_PID]);
    if (pid === process.pid || isAlive(pid)) continue;
    await ignoreAlreadyDone(docker.getContainer(info.Id).remove({ force: true }));
    swept.push({ id: info.Id, runId: labels[LABEL_RUN_ID] ?? '?' });
  }
  return swept;
}
