// Bare pdf-parse, the baseline the benchmark compares the harness with: one host process, every page.
// Usage: node dist/scripts/bare-extract.js <pdf> ; prints {"pages","chars","ms","maxrss_mb"} as JSON.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { PDFParse } from 'pdf-parse';

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: bare-extract <pdf>\n');
  process.exit(2);
}
const started = performance.now();
const parser = new PDFParse({ data: await readFile(path) });
const result = await parser.getText();
await parser.destroy();
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ pages: result.total, chars: result.text.length, ms: Math.round(ms), maxrss_mb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
