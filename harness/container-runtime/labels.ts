// Labels every harness container carries, so leftovers of dead runs can be found and swept.
import { hostname } from 'node:os';

export const LABEL_MANAGED = 'io.oom-harness.managed';
export const LABEL_RUN_ID = 'io.oom-harness.run-id';
export const LABEL_RUNNER_PID = 'io.oom-harness.runner-pid';
export const LABEL_RUNNER_HOST = 'io.oom-harness.runner-host';
export const LABEL_IMAGE_HASH = 'io.oom-harness.image-hash';

export function runLabels(runId: string): Record<string, string> {
  return {
    [LABEL_MANAGED]: 'true',
    [LABEL_RUN_ID]: runId,
    [LABEL_RUNNER_PID]: String(process.pid),
    [LABEL_RUNNER_HOST]: hostname(),
  };
}
