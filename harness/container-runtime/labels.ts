// Labels every harness container carries, so leftovers of dead runs can be found and swept.
import type { RunnerIdentity } from './runner-identity.js';

export const LABEL_MANAGED = 'io.oom-harness.managed';
export const LABEL_RUN_ID = 'io.oom-harness.run-id';
export const LABEL_RUNNER_PID = 'io.oom-harness.runner-pid';
export const LABEL_RUNNER_HOST = 'io.oom-harness.runner-host';
export const LABEL_RUNNER_BOOT_ID = 'io.oom-harness.runner-boot-id';
export const LABEL_RUNNER_PID_NAMESPACE = 'io.oom-harness.runner-pid-namespace';
export const LABEL_IMAGE_HASH = 'io.oom-harness.image-hash';
/** On runtime images: the harness version and the install it was built from, so a rebuild replaces only its own. */
export const LABEL_IMAGE_VERSION = 'io.oom-harness.version';
export const LABEL_IMAGE_SOURCE = 'io.oom-harness.source';

export function runLabels(runId: string, runner: RunnerIdentity): Record<string, string> {
  return {
    [LABEL_MANAGED]: 'true',
    [LABEL_RUN_ID]: runId,
    [LABEL_RUNNER_PID]: String(runner.pid),
    [LABEL_RUNNER_HOST]: runner.host,
    [LABEL_RUNNER_BOOT_ID]: runner.bootId ?? '',
    [LABEL_RUNNER_PID_NAMESPACE]: runner.pidNamespace ?? '',
  };
}
