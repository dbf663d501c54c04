// Bare pdf-parse, the baseline the benchmark compares the harness with: one host process, every page.
// Usage: node dist/scripts/bare-extract.js <pdf> [--node-push] ; prints {"pages","chars","ms","maxrss_mb"} as JSON.
// --node-push loads pdf-parse as the harness's workers do, with Node's own Array.prototype.push put back in place
// of core-js's (harness/workloads/ingest/pdf-parse-loader.ts): the like-for-like baseline, beside pdf-parse as
// installed.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { loadPdfParse } from '../harness/workloads/ingest/pdf-parse-loader.js';

const [path, flag] = process.argv.slice(2);
if (!path || (flag !== undefined && flag !== '--node-push')) {
  process.stderr.write('usage: bare-extract <pdf> [--node-push]\n');
  process.exit(2);
}
const { PDFParse } = flag === '--node-push' ? await loadPdfParse() : await import('pdf-parse');
const started = performance.now();
const parser = new PDFParse({ data: await readFile(path) });
const result = await parser.getText();
await parser.destroy();
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ pages: result.total, chars: result.text.length, ms: Math.round(ms), maxrss_mb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
