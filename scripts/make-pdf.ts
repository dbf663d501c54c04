// Generates text PDFs for fixtures and benchmarks: N pages of deterministic text, optionally encrypted.
// Usage: scripts/make-pdf --pages 200 --chars 1500 --out fixtures/pdf/sample-200p.pdf [--password secret] [--seed 1]
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import PDFDocument from 'pdfkit';

const WORDS = (
  'memory cap kernel cgroup page batch flush worker sampler container ingest supervisor limit peak resident ' +
  'heap native buffer stream parser document range process signal verdict bundle report engine reclaim'
).split(' ');

/** A small deterministic generator, so the same arguments always give the same bytes of text. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function pageText(page: number, pages: number, chars: number, next: () => number): string {
  const header = `Page ${page} of ${pages}.`;
  const words: string[] = [header];
  let length = header.length;
  while (length < chars) {
    const word = WORDS[Math.floor(next() * WORDS.length)]!;
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string', default: '3' },
      chars: { type: 'string', default: '1500' },
      out: { type: 'string' },
      password: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  const pages = Number(values.pages);
  const chars = Number(values.chars);
  if (!values.out || !Number.isInteger(pages) || pages < 1 || !Number.isInteger(chars) || chars < 1) {
    process.stderr.write('usage: make-pdf --pages N --chars PER_PAGE --out FILE [--password P] [--seed S]\n');
    process.exitCode = 2;
    return;
  }
  const next = random(Number(values.seed));
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    info: { Title: `oom-harness fixture, ${pages} pages`, Producer: 'oom-harness make-pdf', CreationDate: new Date(0) },
    ...(values.password ? { userPassword: values.password, ownerPassword: values.password, pdfVersion: '1.7' as const } : {}),
  });
  doc.pipe(createWriteStream(values.out));
  for (let page = 1; page <= pages; page += 1) {
    doc.addPage({ size: 'A4', margin: 36 });
    doc.font('Helvetica').fontSize(chars > 3000 ? 6 : 9).text(pageText(page, pages, chars, next), { width: 523 });
  }
  doc.end();
}

main();
