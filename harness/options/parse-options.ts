import type * as z from 'zod';
import { HarnessError } from '../common/harness-error.js';

/** Validates raw options; the error names the option, the value given and the form expected. */
export function parseOptions<Schema extends z.ZodType>(schema: Schema, raw: Record<string, unknown>, names: Record<string, string> = {}): z.output<Schema> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const name = names[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const value = raw[key];
  const shown = value === undefined ? 'nothing' : JSON.stringify(value);
  throw new HarnessError('BAD_OPTION', `${name}: got ${shown}, expected ${issue.message}`);
}
