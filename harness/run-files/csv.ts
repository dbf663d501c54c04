// The one CSV codec of the run files: csv-stringify writes, csv-parse reads, so quoting is right both ways.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export type CsvValue = string | number | null;

/** CSV lines for these records, each ending in a newline. */
export function csvLines(records: ReadonlyArray<readonly CsvValue[]>): string {
  return stringify(records.map((record) => record.map((value) => value ?? '')));
}

/** Records keyed by the header line's column names. */
export function parseCsv(text: string): Array<Record<string, string>> {
  return parse(text, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Array<Record<string, string>>;
}
