// The workers read pages through one pdf.js document, whole or as parts cut from it; their text must be what bare
// pdf-parse getText() gives, page by page, byte for byte: on every fixture, and on real manuals that Debian's -doc
// packages ship. Parts of 7 pages put part boundaries inside every document, and one part of all its pages.
// Bare runs in a process of its own, with the Array.prototype.push pdf-parse's core-js installs; the workers' reads
// here run as in a worker, with Node's own push put back (pdf-parse-loader.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { PdfDocument } from '../../harness/workloads/ingest/pdf-document.js';
import { PartedDocument, type PageSource } from '../../harness/workloads/ingest/parted-document.js';
import { loadPdfParse } from '../../harness/workloads/ingest/pdf-parse-loader.js';
import { fixture, REPO_ROOT } from '../helpers/paths.js';

/** Real manuals of different makers (texinfo through pdfTeX, DocBook, LaTeX); the gzipped one is unpacked first. */
const MANUALS = ['/usr/share/doc/libtasn1-doc/libtasn1.pdf', '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf', '/usr/share/doc/bzip2/manual.pdf.gz'];

const READERS: Array<{ name: string; open: (path: string) => Promise<PageSource> }> = [
  { name: 'whole', open: (path) => PdfDocument.open(path) },
  { name: 'parts of 7 pages', open: async (path) => PartedDocument.open(path, 7) },
  { name: 'one part', open: async (path) => PartedDocument.open(path, 1_000_000) },
];

const NODE_PUSH = Array.prototype.push;
const BARE = join(REPO_ROOT, 'dist', 'test', 'helpers', 'bare-page-texts.js');

interface BareText {
  total: number;
  pages: string[];
  push_replaced: boolean;
}

async function assertSameText(path: string): Promise<number> {
  const bare = JSON.parse(execFileSync(process.execPath, [BARE, path], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as BareText;
  const expected = { total: bare.total, pages: bare.pages.map((text) => ({ text })) };
  const { nativePushRestored } = await loadPdfParse();
  assert.equal(nativePushRestored, bare.push_replaced, 'the workers put back Node\'s push where bare runs with core-js\'s');
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
  assert.equal(Array.prototype.push, NODE_PUSH, `${path}: Node's own push after reading every page`);
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
