// Every option the harness accepts is validated here, once, into values with units in their names.
import * as z from 'zod';
import { BYTE_SIZE_FORM, parseByteSize, formatBytes } from '../common/byte-size.js';

/**
 * Below this not even a one-page PDF completes with default options: measured, a 3-page PDF completes at 80m (kernel
 * peak 79 MiB: the supervisor's 55 MiB PSS and an idle worker's 25 MiB) and is OOM-killed at 72m; 16 MiB of margin.
 */
export const MIN_CAP_BYTES = 96 * 1024 * 1024;
/** The engine reads a cap as a signed 64-bit byte count; this is the largest double below 2^63. */
export const MAX_CAP_BYTES = 2 ** 63 - 1024;

export const capBytesSchema = z.string().transform((text, ctx) => {
  const bytes = parseByteSize(text);
  if (bytes === null || bytes <= 0) {
    ctx.addIssue({ code: 'custom', message: BYTE_SIZE_FORM });
    return z.NEVER;
  }
  if (bytes > MAX_CAP_BYTES) {
    ctx.addIssue({ code: 'custom', message: `at most ${Math.floor(MAX_CAP_BYTES / 1024 ** 4)}t: the engine takes a cap as a signed 64-bit count of bytes` });
    return z.NEVER;
  }
  if (bytes < MIN_CAP_BYTES) {
    ctx.addIssue({
      code: 'custom',
      message: `at least ${formatBytes(MIN_CAP_BYTES)}: the harness's own supervisor and an idle worker take about 80 MiB of the cap, so below that nothing can pass (Docker's own floor is 6m)`,
    });
    return z.NEVER;
  }
  return bytes;
});

export const byteSizeSchema = z.string().transform((text, ctx) => {
  const bytes = parseByteSize(text);
  if (bytes === null || bytes <= 0) {
    ctx.addIssue({ code: 'custom', message: BYTE_SIZE_FORM });
    return z.NEVER;
  }
  return bytes;
});

/** Plain decimal notation only: "1e1", "0x2", " 2" and "" are not numbers an option takes. */
const DECIMAL = /^-?(\d+(\.\d+)?|\.\d+)$/;

/** An option's value as a number: as given, or parsed from its text (NaN unless written in plain decimals). */
export function numberFrom(text: string | number): number {
  return typeof text === 'number' ? text : DECIMAL.test(text) ? Number(text) : Number.NaN;
}

export function intInRange(min: number, max: number) {
  return z
    .union([z.string(), z.number()])
    .transform(numberFrom)
    .pipe(z.number({ message: `an integer from ${min} to ${max}` }).int(`an integer from ${min} to ${max}`).min(min, `an integer from ${min} to ${max}`).max(max, `an integer from ${min} to ${max}`));
}

/** An integer from `min` to `max`, or one of `words` as written; `expected` is the error's "expected ..." part. */
export function intInRangeOr<Word extends string>(words: readonly Word[], min: number, max: number, expected: string) {
  return z.union([z.string(), z.number()]).transform((value, ctx): number | Word => {
    if ((words as readonly unknown[]).includes(value)) return value as Word;
    const number = numberFrom(value);
    if (Number.isInteger(number) && number >= min && number <= max) return number;
    ctx.addIssue({ code: 'custom', message: expected });
    return z.NEVER;
  });
}

export function numberInRange(min: number, max: number) {
  return z
    .union([z.string(), z.number()])
    .transform(numberFrom)
    .pipe(z.number({ message: `a number from ${min} to ${max}` }).min(min, `a number from ${min} to ${max}`).max(max, `a number from ${min} to ${max}`));
}
