// The one CSV codec of the run files: csv-stringify writes, csv-parse reads, so quoting is right both ways. Each is
// loaded on first use: the supervisor writes the memory log from its first tick and never reads one, and loading
// both (17 files, about 35 ms) was most of what it imports before that tick.
import { createRequire } from 'node:module';
import type { parse as Parse } from 'csv-parse/sync';
import type { stringify as Stringify } from 'csv-stringify/sync';

const require = createRequire(import.meta.url);
let stringifyModule: { stringify: typeof Stringify } | null = null;
let parseModule: { parse: typeof Parse } | null = null;

function stringify(records: unknown[][]): string {
  stringifyModule ??= require('csv-stringify/sync') as { stringify: typeof Stringify };
  return stringifyModule.stringify(records);
}

export type CsvValue = string | number | null;

/** Characters that make csv-stringify quote a field: the delimiter, the quote and line breaks. */
const NEEDS_QUOTING = /[,"\r\n]/;

/** Fields that needed quoting, as csv-stringify quoted them: the same command lines come back on every tick. */
const quotedFields = new Map<string, string>();
const MAX_QUOTED_FIELDS = 1024;

/** One field as csv-stringify writes it: quoting depends on the field alone, so a quoted one is kept and reused. */
function quotedField(value: string): string {
  let quoted = quotedFields.get(value);
  if (quoted === undefined) {
    quoted = stringify([[value]]).slice(0, -1);
    if (quotedFields.size >= MAX_QUOTED_FIELDS) quotedFields.clear();
    quotedFields.set(value, quoted);
  }
  return quoted;
}

/**
 * A record as csv-stringify writes it, field by field: numbers and strings without a delimiter, quote or line break as
 * they are, the others quoted by csv-stringify once and then reused. The memory log writes a row on every tick and
 * process, where csv-stringify's own per-call setup was most of the sampler's cost.
 */
function line(record: readonly CsvValue[]): string {
  let out = '';
  for (let i = 0; i < record.length; i += 1) {
    const value = record[i];
    let field: string;
    if (value === null || value === undefined) field = '';
    else if (typeof value === 'number') field = String(value);
    else if (NEEDS_QUOTING.test(value)) field = quotedField(value);
    else field = value;
    out += i === 0 ? field : `,${field}`;
  }
  return `${out}\n`;
}

/** CSV lines for these records, each ending in a newline. */
export function csvLines(records: ReadonlyArray<readonly CsvValue[]>): string {
  let out = '';
  for (const record of records) out += line(record);
  return out;
}

/** Records keyed by the header line's column names. */
export function parseCsv(text: string): Array<Record<string, string>> {
  parseModule ??= require('csv-parse/sync') as { parse: typeof Parse };
  return parseModule.parse(text, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Array<Record<string, string>>;
}
