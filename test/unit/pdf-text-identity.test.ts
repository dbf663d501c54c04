// The workers read pages through one pdf.js document, whole or as parts cut from it; their text must be what bare
// pdf-parse getText() gives, page by page, byte for byte: on every fixture, and on real manuals that Debian's -doc
// packages ship. Parts of 7 pages put part boundaries inside every document, and one part of all its pages.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { PDFParse } from 'pdf-parse';
import { PdfDocument } from '../../harness/workloads/ingest/pdf-document.js';
import { PartedDocument, type PageSource } from '../../harness/workloads/ingest/parted-document.js';
import { fixture } from '../helpers/paths.js';

/** Real manuals of different makers (texinfo through pdfTeX, DocBook, LaTeX); the gzipped one is unpacked first. */
const MANUALS = ['/usr/share/doc/libtasn1-doc/libtasn1.pdf', '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf', '/usr/share/doc/bzip2/manual.pdf.gz'];

const READERS: Array<{ name: string; open: (path: string) => Promise<PageSource> }> = [
  { name: 'whole', open: (path) => PdfDocument.open(path) },
  { name: 'parts of 7 pages', open: async (path) => PartedDocument.open(path, 7) },
  { name: 'one part', open: async (path) => PartedDocument.open(path, 1_000_000) },
];

async function assertSameText(path: string): Promise<number> {
  const bare = new PDFParse({ data: readFileSync(path) });
  const expected = await bare.getText();
  await bare.destroy();
  for (const reader of READERS) {
    const doc = await reader.open(path);
    try {
      assert.equal(doc.pages, expected.total, `${path}, ${reader.name}: page count`);
      for (let page = 1; page <= doc.pages; page += 1) {
        assert.equal(await doc.pageText(page), expected.pages[page - 1]!.text, `${path}, ${reader.name}: page ${page}`);
      }
      if (doc instanceof PartedDocument) assert.equal(doc.readWholeFrom, null, `${path}, ${reader.name}: every page from a part`);
    } finally {
      await doc.close();
    }
  }
  return expected.total;
}

test('every fixture PDF: each page read by a worker is byte-identical to bare getText()', async () => {
  const dir = fixture('pdf');
  const pdfs = readdirSync(dir).filter((name) => name.endsWith('.pdf'));
  assert.ok(pdfs.length >= 2, `fixtures in ${dir}`);
  for (const name of pdfs) assert.ok((await assertSameText(join(dir, name))) > 0, name);
});

test('real manuals under /usr/share/doc: each page byte-identical to bare getText()', async (t) => {
  const present = MANUALS.filter((path) => existsSync(path));
  if (present.length === 0) {
    t.skip(`none of ${MANUALS.join(', ')} is installed (apt-get install libtasn1-doc)`);
    return;
  }
  const temp = mkdtempSync(join(tmpdir(), 'oom-harness-manual-'));
  try {
    for (const path of present) {
      const pdf = path.endsWith('.gz') ? join(temp, 'manual.pdf') : path;
      if (pdf !== path) writeFileSync(pdf, gunzipSync(readFileSync(path)));
      assert.ok((await assertSameText(pdf)) > 1, path);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
});

test('a page outside the document is an error naming the file and the page, whole or in parts', async () => {
  for (const reader of READERS) {
    const doc = await reader.open(fixture('pdf', 'sample-3p.pdf'));
    try {
      await assert.rejects(doc.pageText(4), /sample-3p\.pdf: page 4: /, reader.name);
    } finally {
      await doc.close();
    }
  }
});
