// What a pod is told, from its environment (as a Job sets it) or its arguments (which win): where the plan is,
// which completion index it runs, where the run directories go. Validated once; an error names the variable or
// argument, the value and the form expected.
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { CONTAINER_OUT_DIR } from '../run-files/run-config.js';
import { POD_PLAN_PATH } from '../run-files/pod-plan.js';

export interface PodSettings {
  planPath: string;
  index: number;
  outDir: string;
  /** Given only to re-run a cell under a known id; a pod makes its own. */
  runId: string | null;
  pod: { name: string | null; namespace: string | null; node: string | null };
}

export class PodSettingsError extends Error {}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const FIELDS = {
  planPath: { arg: '--plan', env: 'OOM_HARNESS_POD_PLAN', schema: z.string().min(1, 'a file path'), fallback: POD_PLAN_PATH },
  index: { arg: '--index', env: 'JOB_COMPLETION_INDEX', schema: z.string().regex(/^\d{1,9}$/, 'a completion index (0, 1, 2, ...)').transform(Number), fallback: undefined },
  outDir: { arg: '--out', env: 'OOM_HARNESS_OUT', schema: z.string().startsWith('/', 'an absolute directory path'), fallback: CONTAINER_OUT_DIR },
  runId: { arg: '--run-id', env: 'OOM_HARNESS_RUN_ID', schema: z.string().regex(RUN_ID, 'letters, digits, ".", "_" or "-", at most 128'), fallback: undefined },
} as const;

function field<K extends keyof typeof FIELDS>(key: K, args: Record<string, string | undefined>, env: NodeJS.ProcessEnv): z.output<(typeof FIELDS)[K]['schema']> | undefined {
  const { arg, env: name, schema, fallback } = FIELDS[key];
  const fromArg = args[arg.slice(2)];
  const value = fromArg ?? env[name] ?? fallback;
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.output<(typeof FIELDS)[K]['schema']>;
  const source = fromArg !== undefined ? arg : name;
  throw new PodSettingsError(`${source}: got ${JSON.stringify(value)}, expected ${parsed.error.issues[0]!.message}`);
}

export function podSettings(argv: readonly string[], env: NodeJS.ProcessEnv): PodSettings {
  let values: Record<string, string | undefined>;
  try {
    const options = Object.fromEntries(Object.values(FIELDS).map(({ arg }) => [arg.slice(2), { type: 'string' as const }]));
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<string, string | undefined>;
  } catch (error) {
    throw new PodSettingsError(`${(error as Error).message}; expected only --plan, --index, --out and --run-id`);
  }
  const index = field('index', values, env);
  if (index === undefined) throw new PodSettingsError('JOB_COMPLETION_INDEX: got nothing, expected the completion index an Indexed Job sets (or --index)');
  const text = (name: string) => (env[name] && env[name]!.length <= 253 ? env[name]! : null);
  return {
    planPath: field('planPath', values, env)!,
    index,
    outDir: field('outDir', values, env)!,
    runId: field('runId', values, env) ?? null,
    pod: { name: text('POD_NAME'), namespace: text('POD_NAMESPACE'), node: text('NODE_NAME') },
  };
}
