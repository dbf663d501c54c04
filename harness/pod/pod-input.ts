// The plan and the input as the pod finds them. Both are the user's (a ConfigMap, the input volume), so links are
// followed, as a ConfigMap's files are links; what is checked is that they are what the Jobs were emitted for.
import { readFileSync, statSync } from 'node:fs';
import { sha256File } from '../input/check-input.js';
import { PodSettingsError } from './pod-settings.js';
import { MAX_POD_PLAN_BYTES, PodPlanSchema, type PodInput, type PodPlan } from '../run-files/pod-plan.js';

export function readPodPlan(path: string): PodPlan {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > 2 * MAX_POD_PLAN_BYTES) throw new Error(`it has ${size} bytes, more than a ConfigMap holds`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PodSettingsError(`the pod plan ${path} cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PodSettingsError(`the pod plan ${path} is not JSON`);
  }
  const parsed = PodPlanSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PodSettingsError(`the pod plan ${path} is not an oom-harness pod plan: ${issue.path.join('.') || 'its root'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Null when the input is there and is the file the Jobs were emitted for; else why not. */
export async function inputProblem(input: PodInput): Promise<string | null> {
  let size: number;
  try {
    const stats = statSync(input.container_path);
    if (!stats.isFile()) return `the input ${input.container_path} is not a regular file`;
    size = stats.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `the input ${input.container_path} ${code === 'ENOENT' ? 'is missing from the input volume' : `cannot be read (${code})`}`;
  }
  if (size !== input.size_bytes) return `the input ${input.container_path} has ${size} bytes, not the ${input.size_bytes} of the file the Jobs were emitted for`;
  const sha256 = await sha256File(input.container_path).catch((error: Error) => `unreadable (${error.message})`);
  if (sha256 !== input.sha256) return `the input ${input.container_path} has sha256 ${sha256}, not ${input.sha256} (the file the Jobs were emitted for)`;
  return null;
}
