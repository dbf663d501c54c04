// The library's options, typed, and their translation into the option values the CLI hands to the same parsers
// (strings as on a command line, defaults included), so both are checked by one set of rules and messages.
import * as z from 'zod';
import { HarnessError } from '../common/harness-error.js';
import type { Summary } from '../run-files/summary.js';
import { RUN_DEFAULTS } from '../options/run-options.js';
import { SMOKE_DEFAULTS } from '../options/smoke-options.js';
import { EXEC_DEFAULTS } from '../workloads/exec/options.js';
import { INGEST_DEFAULTS } from '../workloads/ingest/options.js';

/** A memory size in Docker units ("512m", "6g") or a number of bytes. */
export type Size = string | number;

export interface RunSettings {
  /** Directory for run directories and bundles (default "logs"). */
  out?: string;
  cpus?: number;
  sampleIntervalMs?: number;
  nearCapSampleIntervalMs?: number;
  killGraceMs?: number;
  pidsLimit?: number;
  allowCapAboveHost?: boolean;
  /** Aborting stops the container as Ctrl-C does; the promise still resolves with the bundle written. */
  signal?: AbortSignal;
  /** The live summary, about once a second. */
  onProgress?: (summary: Summary) => void;
  /** Lines the CLI prints on stderr (image build, run directory). */
  onLog?: (line: string) => void;
}

export interface IngestSettings extends RunSettings {
  baseImage?: string;
  workerTimeoutMs?: number;
  onWorkerDeath?: 'stop' | 'continue';
  workerHeapMb?: number | 'auto' | 'off';
  workers?: number | 'auto';
  includeInput?: boolean;
  batchSize?: number;
  maxBytes?: Size;
  maxWaitMs?: number;
  rangePages?: number;
  pagesPerWorker?: number;
  /** Pages in each part a worker reads (default 400); 'off' reads every input whole. */
  partPages?: number | 'off';
  workerRssLimit?: Size;
  sink?: 'mock' | 'jsonl';
  mockLatencyMs?: number;
  mockFailRate?: number;
  mockRetainMb?: number;
  seed?: number;
  flushRetries?: number;
  slowPageMs?: number;
}

export interface IngestRequest extends IngestSettings {
  /** A PDF file, or a directory of PDFs. */
  input: string;
  cap: Size;
}

export interface ExecRequest extends RunSettings {
  cap: Size;
  /** The command and its arguments. */
  command: string[];
  image?: string;
  /** host:container[:rw], read-only unless :rw. */
  mounts?: string[];
  workdir?: string;
  /** KEY=VALUE, or KEY alone to copy the host's value. */
  env?: string[];
  envFile?: string;
  network?: 'none' | 'bridge';
  user?: string;
  entrypoint?: 'none' | 'keep';
  timeoutMs?: number;
  /** False leaves command lines out of memory_log.csv and the summary. */
  recordArgv?: boolean;
  exitCode?: 'harness' | 'passthrough';
  /** Write the result as JUnit XML here: one testcase, passing when the command completed under the cap. */
  junit?: string;
}

export interface SmokeRequest extends IngestSettings {
  /** Default "2g". */
  cap?: Size;
  /** Default: the bundled 200-page sample. */
  input?: string;
  junit?: string;
  maxPeakRatio?: number;
}

const HOOKS = new Set(['signal', 'onProgress', 'onLog']);
const RUN_KEYS = ['out', 'cpus', 'sampleIntervalMs', 'nearCapSampleIntervalMs', 'killGraceMs', 'pidsLimit', 'allowCapAboveHost'];
const INGEST_KEYS = [...RUN_KEYS, 'baseImage', 'workerTimeoutMs', 'onWorkerDeath', 'workerHeapMb', 'workers', 'includeInput', ...Object.keys(INGEST_DEFAULTS)];
const EXEC_KEYS = [...RUN_KEYS, 'cap', 'command', 'image', 'mounts', 'workdir', 'env', 'envFile', 'network', 'user', 'entrypoint', 'timeoutMs', 'recordArgv', 'exitCode', 'junit'];
const RENAMED: Record<string, string> = { mounts: 'mount', recordArgv: 'argv' };

/** The CLI's option values for a library request: unknown keys refused, numbers as text, the CLI's defaults beneath. */
function cliValues(what: string, request: object, allowed: string[], defaults: Record<string, unknown>): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...defaults, quiet: true, json: false };
  for (const [key, value] of Object.entries(request)) {
    if (HOOKS.has(key) || value === undefined) continue;
    if (!allowed.includes(key)) {
      throw new HarnessError('BAD_OPTION', `${what}: unknown option ${JSON.stringify(key)}; expected one of ${allowed.join(', ')}`);
    }
    raw[RENAMED[key] ?? key] = typeof value === 'number' ? String(value) : value;
  }
  return raw;
}

export function ingestValues(request: IngestRequest): Record<string, unknown> {
  return cliValues('runIngest', request, [...INGEST_KEYS, 'input', 'cap'], { ...RUN_DEFAULTS, ...INGEST_DEFAULTS });
}

export function execValues(request: ExecRequest): Record<string, unknown> {
  return cliValues('execCommand', request, EXEC_KEYS, { ...RUN_DEFAULTS, ...EXEC_DEFAULTS });
}

export function smokeValues(request: SmokeRequest): Record<string, unknown> {
  return cliValues('smoke', request, [...INGEST_KEYS, 'cap', 'input', 'junit', 'maxPeakRatio'], { ...RUN_DEFAULTS, ...INGEST_DEFAULTS, ...SMOKE_DEFAULTS });
}

export function sizeText(value: Size): string {
  return typeof value === 'number' ? String(value) : value;
}

const callback = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'a function').optional();
const size = z.union([z.string().min(1), z.number().int().positive()], 'a size such as 512m, or a whole positive number of bytes');
const HOOK_SHAPE = {
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'an AbortSignal').optional(),
  onProgress: callback,
  onLog: callback,
};

const REQUEST_SHAPES = {
  runIngest: z.looseObject({ input: z.string().min(1, 'a PDF file or directory'), cap: size, ...HOOK_SHAPE }),
  execCommand: z.looseObject({
    cap: size,
    command: z.array(z.string(), 'the command and its arguments as an array of strings').min(1, 'a command').refine((c) => c[0] !== '', 'a command whose first word is not empty'),
    mounts: z.array(z.string(), 'an array of host:container[:rw]').optional(),
    env: z.array(z.string(), 'an array of KEY=VALUE or KEY').optional(),
    ...HOOK_SHAPE,
  }),
  smoke: z.looseObject({ cap: size.optional(), input: z.string().min(1).optional(), ...HOOK_SHAPE }),
  readBundle: z.strictObject({
    maxUnpackedBytes: z.number().int('a whole number of bytes').positive('a positive number of bytes').optional(),
    maxEntries: z.number().int('a whole number').positive('a positive number').optional(),
  }),
};

/** The library's own check of a request's shape, before the CLI's rules see its values: exit 2's error, by name. */
export function checkRequest(what: keyof typeof REQUEST_SHAPES, request: unknown): void {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new HarnessError('BAD_OPTION', `${what}: got ${JSON.stringify(request) ?? String(request)}, expected an options object`);
  }
  const result = REQUEST_SHAPES[what].safeParse(request);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const key = issue.path.map(String).join('.') || 'options';
  const value = (request as Record<string, unknown>)[String(issue.path[0] ?? '')];
  const shown = value === undefined ? 'nothing' : typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
  throw new HarnessError('BAD_OPTION', `${what}: ${key}: got ${shown}, expected ${issue.message}`);
}
