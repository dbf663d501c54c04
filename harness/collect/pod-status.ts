// `collect --pod-status pods.json`: how each pod ended as Kubernetes saw it (`kubectl get pods -o json`), the
// pod's stand-in for an engine inspect: the harness container's exit code and reason (OOMKilled). Validated; only
// the fields used are read.
import * as z from 'zod';
import { HarnessError } from '../common/harness-error.js';
import { printable } from '../common/terminal-text.js';
import { readRegularFile } from '../run-files/safe-fs.js';

/** The container of the emitted Jobs' pod template that runs the harness. */
export const HARNESS_CONTAINER = 'harness';
const MAX_POD_STATUS_BYTES = 256 * 1024 * 1024;

const TerminatedSchema = z.object({
  exitCode: z.number().int(),
  reason: z.string().optional(),
  startedAt: z.string().nullish(),
  finishedAt: z.string().nullish(),
});
const PodSchema = z.looseObject({
  kind: z.literal('Pod').optional(),
  metadata: z.looseObject({ name: z.string() }),
  status: z
    .looseObject({
      containerStatuses: z.array(z.looseObject({ name: z.string(), state: z.looseObject({ terminated: TerminatedSchema.optional() }).optional() })).optional(),
    })
    .optional(),
});
const PodListSchema = z.looseObject({ items: z.array(PodSchema) });
type PodRecord = z.infer<typeof PodSchema>;

export type PodEnd = z.infer<typeof TerminatedSchema>;

/** Pod name -> how its harness container ended; pods still running are left out. */
export function readPodStatus(path: string): Map<string, PodEnd> {
  let json: unknown;
  try {
    json = JSON.parse(readRegularFile(path, MAX_POD_STATUS_BYTES));
  } catch (error) {
    throw new HarnessError('BAD_INPUT', `--pod-status ${printable(path)} cannot be read as JSON (${printable((error as Error).message)}); expected the output of kubectl get pods -o json`);
  }
  // A list (kubectl get pods -o json) or one pod (kubectl get pod <name> -o json).
  const isList = typeof json === 'object' && json !== null && 'items' in json;
  const parsed = isList ? PodListSchema.safeParse(json) : PodSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HarnessError('BAD_INPUT', `--pod-status ${printable(path)}: ${issue.path.join('.') || 'its root'}: ${issue.message}; expected the output of kubectl get pods -o json`);
  }
  const pods: PodRecord[] = isList ? (parsed.data as z.infer<typeof PodListSchema>).items : [parsed.data as PodRecord];
  const ends = new Map<string, PodEnd>();
  for (const pod of pods) {
    const terminated = pod.status?.containerStatuses?.find((status) => status.name === HARNESS_CONTAINER)?.state?.terminated;
    if (terminated) ends.set(pod.metadata.name, terminated);
  }
  return ends;
}
