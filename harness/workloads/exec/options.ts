// exec's own options: the image, mounts, environment, network, user, working directory, timeout, and what the
// harness exits with. Validated here, once; each message names the option, the value and the form expected.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import * as z from 'zod';
import { HarnessError } from '../../common/harness-error.js';
import { intInRange } from '../../options/option-schemas.js';

export const EXEC_DEFAULTS = { network: 'none', entrypoint: 'none', exitCode: 'harness', timeoutMs: '86400000' } as const;

export const execOptionsSchema = z.object({
  image: z.string().min(1, 'an image present on the engine').nullable().default(null),
  mount: z.array(z.string()).default([]),
  workdir: z.string().refine((value) => value.startsWith('/'), 'an absolute path inside the container').nullable().default(null),
  env: z.array(z.string()).default([]),
  envFile: z.string().nullable().default(null),
  network: z.enum(['none', 'bridge'], { message: 'none or bridge' }),
  user: z.string().regex(/^\d+(:\d+)?$|^root$/, 'a numeric uid[:gid]').nullable().default(null),
  entrypoint: z.enum(['none', 'keep'], { message: 'none (docker run semantics with a command) or keep' }),
  timeoutMs: intInRange(100, 2_147_483_647),
  argv: z.boolean().default(true),
  exitCode: z.enum(['harness', 'passthrough'], { message: 'harness or passthrough' }),
  junit: z.string().min(1, 'a file path').nullable().default(null),
});
export type ExecOptions = z.output<typeof execOptionsSchema>;

export interface UserMount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** Places of the harness's own inside the container: no mount may cover them. */
const RESERVED_TARGETS = ['/out', '/etc/oom-harness', '/.oom-harness', '/input'];

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/** --mount host:container[:rw], checked: the host path exists, the target is absolute, and no writable mount holds the output. */
export function parseMounts(specs: readonly string[], outDir: string): UserMount[] {
  return specs.map((spec) => {
    const bad = (expected: string) => new HarnessError('BAD_OPTION', `--mount: got ${JSON.stringify(spec)}, expected ${expected}`);
    const parts = spec.split(':');
    const mode = parts.length === 3 ? parts[2] : 'ro';
    if (parts.length < 2 || parts.length > 3 || (mode !== 'ro' && mode !== 'rw')) throw bad('<host-path>:<container-path>[:rw]');
    const source = resolve(parts[0]!);
    const target = parts[1]!;
    if (!isAbsolute(target)) throw bad('an absolute container path');
    if (RESERVED_TARGETS.some((reserved) => isUnder(target, reserved) || isUnder(reserved, target))) throw bad(`a container path outside ${RESERVED_TARGETS.join(', ')}`);
    try {
      statSync(source);
    } catch {
      throw bad(`an existing host path (${source} does not exist)`);
    }
    if (mode === 'rw' && isUnder(outDir, source)) throw bad(`no writable mount holding the output directory ${outDir}: the host writes there`);
    return { source, target, readOnly: mode !== 'rw' };
  });
}

/** KEY=VALUE as given; KEY alone copies the host's value; --env-file lines the same. Returns Docker's KEY=VALUE list. */
export function resolveEnv(specs: readonly string[], envFile: string | null, host: NodeJS.ProcessEnv = process.env): string[] {
  const lines = [...(envFile ? readEnvFile(envFile) : []), ...specs];
  const env = new Map<string, string>();
  for (const line of lines) {
    const equals = line.indexOf('=');
    const key = equals === -1 ? line : line.slice(0, equals);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new HarnessError('BAD_OPTION', `--env: got ${JSON.stringify(key)}, expected a variable name (letters, digits, _)`);
    if (equals !== -1) env.set(key, line.slice(equals + 1));
    else if (host[key] !== undefined) env.set(key, host[key]!);
  }
  return [...env].map(([key, value]) => `${key}=${value}`);
}

function readEnvFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HarnessError('BAD_OPTION', `--env-file: got ${JSON.stringify(path)}, expected a readable file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}
