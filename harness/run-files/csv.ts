// The one CSV codec of the run files: csv-stringify writes, csv-parse reads, so quoting is right both ways.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export type CsvValue = string | number | null;

/** Characters that make csv-stringify quote a field: the delimiter, the quote and line breaks. */
const NEEDS_QUOTING = /[,"\r\n]/;

/**
 * A record whose every field csv-stringify would write as it is: numbers, empty fields and strings without a
 * delimiter, quote or line break. The memory log writes such a row on every tick and process, where csv-stringify's
 * own per-call setup was most of the sampler's cost.
 */
function plainLine(record: readonly CsvValue[]): string | null {
  let line = '';
  for (let i = 0; i < record.length; i += 1) {
    const value = record[i];
    let field: string;
    if (value === null || value === undefined) field = '';
    else if (typeof value === 'number') field = String(value);
    else if (NEEDS_QUOTING.test(value)) return null;
    else field = value;
    line += i === 0 ? field : `,${field}`;
  }
  return `${line}\n`;
}

/** CSV lines for these records, each ending in a newline. */
export function csvLines(records: ReadonlyArray<readonly CsvValue[]>): string {
  let out = '';
  for (const record of records) out += plainLine(record) ?? stringify([record.map((value) => value ?? '')]);
  return out;
}

/** Records keyed by the header line's column names. */
export function parseCsv(text: string): Array<Record<string, string>> {
  return parse(text, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Array<Record<string, string>>;
}
