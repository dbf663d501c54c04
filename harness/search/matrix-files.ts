// matrix.json, matrix.csv and matrix.html: one row per cell (input × cap), each linking to its bundle. The HTML is
// a static page, no server, every text escaped.
import { basename, relative } from 'node:path';
import * as z from 'zod';
import { escapeXml } from '../common/xml-escape.js';
import { csvLines } from '../run-files/csv.js';
import { replaceFile, replaceJsonFile } from '../run-files/safe-fs.js';
import type { CellResult } from './matrix.js';

export const MATRIX_JSON_FILE = 'matrix.json';
export const MATRIX_CSV_FILE = 'matrix.csv';
export const MATRIX_HTML_FILE = 'matrix.html';

const COLUMNS = ['input', 'cap_bytes', 'verdict', 'exit_code', 'kernel_peak_mb', 'bundle', 'started_at', 'finished_at'] as const;

export const MATRIX_SCHEMA_ID = 'oom-harness/matrix@1';

export const MatrixJsonSchema = z.object({
  schema: z.literal(MATRIX_SCHEMA_ID),
  cells: z.array(
    z.object({
      input: z.string(),
      cap_bytes: z.number().int(),
      verdict: z.string(),
      exit_code: z.number().int(),
      kernel_peak_mb: z.number().nullable(),
      /** null once --keep has removed it. */
      bundle: z.string().nullable(),
      started_at: z.string(),
      finished_at: z.string(),
    }),
  ),
});
export type MatrixJson = z.infer<typeof MatrixJsonSchema>;

function row(result: CellResult): MatrixJson['cells'][number] {
  return {
    input: result.input,
    cap_bytes: result.capBytes,
    verdict: result.verdict,
    exit_code: result.exitCode,
    kernel_peak_mb: result.kernelPeakMb,
    bundle: result.bundle,
    started_at: result.startedAt,
    finished_at: result.finishedAt,
  };
}

function html(results: readonly CellResult[], outDir: string): string {
  const inputs = [...new Set(results.map((r) => r.input))];
  const caps = [...new Set(results.map((r) => r.capBytes))].sort((a, b) => a - b);
  const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
  const cell = (input: string, cap: number) => {
    const found = results.find((r) => r.input === input && r.capBytes === cap);
    if (!found) return '<td></td>';
    const link = found.bundle ? ` <a href="${escapeXml(relative(outDir, found.bundle))}">bundle</a>` : '';
    return `<td class="${escapeXml(found.verdict)}">${escapeXml(found.verdict)}<br/>${found.kernelPeakMb ?? 'n/a'} MiB${link}</td>`;
  };
  return [
    '<!DOCTYPE html>',
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8"/><title>oom-harness matrix</title>',
    '<style>td,th{border:1px solid #ccc;padding:4px 8px}.completed{background:#e8f5e9}.cgroup-oom,.heap-oom{background:#ffebee}</style></head><body>',
    '<table><thead><tr><th>input</th>',
    ...caps.map((cap) => `<th>${mib(cap)}</th>`),
    '</tr></thead><tbody>',
    ...inputs.map((input) => `<tr><th>${escapeXml(basename(input))}</th>${caps.map((cap) => cell(input, cap)).join('')}</tr>`),
    '</tbody></table></body></html>',
    '',
  ].join('\n');
}

export function writeMatrixFiles(outDir: string, results: readonly CellResult[]): void {
  const rows = results.map(row);
  const json: MatrixJson = { schema: MATRIX_SCHEMA_ID, cells: rows };
  replaceJsonFile(`${outDir}/${MATRIX_JSON_FILE}`, json);
  replaceFile(`${outDir}/${MATRIX_CSV_FILE}`, csvLines([COLUMNS, ...rows.map((r) => COLUMNS.map((column) => r[column]))]));
  replaceFile(`${outDir}/${MATRIX_HTML_FILE}`, html(results, outDir));
}
