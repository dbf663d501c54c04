// The part cutter on hand-made PDFs: what a part holds and leaves out, inheritance through the page tree, /Prev
// updates, indirect stream lengths, and documents it refuses (then read whole, with the whole document's error).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PdfDocument } from '../../harness/workloads/ingest/pdf-document.js';
import { PdfPartSource, PdfSyntaxError } from '../../harness/workloads/ingest/pdf-parts/pdf-part-source.js';
import { PartedDocument, openPageSource } from '../../harness/workloads/ingest/parted-document.js';
import { fixture } from '../helpers/paths.js';
import { deflateSync } from 'node:zlib';
import { HELVETICA_A_AS_Z, appendUpdate, textContent, textStream, tinyPdf, tinyPdfWithXrefStream } from '../helpers/tiny-pdf.js';

const dir = mkdtempSync(join(tmpdir(), 'oom-harness-parts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function write(bytes: Uint8Array): string {
  const path = join(dir, `doc-${(files += 1)}.pdf`);
  writeFileSync(path, bytes);
  return path;
}

/** Three pages under one intermediate node that passes down the font and the media box; page 1 links to page 3. */
const THREE_PAGES: Record<number, string> = {
  1: '<< /Type /Catalog /Pages 2 0 R >>',
  2: '<< /Type /Pages /Kids [3 0 R] /Count 3 >>',
  3: '<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 5 0 R 6 0 R] /Count 3 /Resources << /Font << /F1 10 0 R >> >> /MediaBox [0 0 300 200] /Rotate 90 >>',
  4: '<< /Type /Page /Parent 3 0 R /Contents 7 0 R /Annots [11 0 R] >>',
  5: '<< /Type /Page /Parent 3 0 R /Contents 8 0 R >>',
  6: '<< /Type /Page /Parent 3 0 R /Contents 9 0 R >>',
  7: textStream('page one'),
  8: textStream('page two', '12 0 R'),
  9: textStream('page three'),
  10: HELVETICA_A_AS_Z,
  11: '<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Dest [6 0 R /Fit] >>',
  12: String(textContent('page two').length),
};

async function texts(doc: { pages: number; pageText(page: number): Promise<string>; close(): Promise<void> }): Promise<string[]> {
  try {
    const out: string[] = [];
    for (let page = 1; page <= doc.pages; page += 1) out.push(await doc.pageText(page));
    return out;
  } finally {
    await doc.close();
  }
}

/** Every page's text read in parts of `size`, checked to have come from parts (no fall-back to reading it whole). */
async function partedTexts(path: string, size: number): Promise<string[]> {
  const doc = await PartedDocument.open(path, size);
  const out = await texts(doc);
  assert.equal(doc.readWholeFrom, null, `${path} in parts of ${size}: every page from a part`);
  return out;
}

test('a part holds its pages and what they reach, and not the pages its links point to', async () => {
  const source = PdfPartSource.open(write(tinyPdf(THREE_PAGES, 1)));
  try {
    assert.equal(source.pages, 3);
    const part = Buffer.from(source.cut(1, 1)).toString('latin1');
    assert.match(part, /\(one\)/);
    assert.doesNotMatch(part, /\(three\)|\(two\)/, 'the linked page 3 and page 2 stay out');
    const doc = await PdfDocument.fromBytes('part.pdf', source.cut(2, 3));
    assert.deepEqual(await texts(doc), ['pzge\n \ntwo', 'pzge\n \nthree'], 'an indirect /Length is followed');
  } finally {
    source.close();
  }
});

test('pages in parts inherit resources, boxes and rotation from the node above them, as when read whole', async () => {
  const path = write(tinyPdf(THREE_PAGES, 1));
  const whole = await texts(await PdfDocument.open(path));
  // The inherited font draws "a" as "z"; the inherited rotation stacks the words of a line one under the other.
  assert.deepEqual(whole, ['pzge\n \none', 'pzge\n \ntwo', 'pzge\n \nthree']);
  for (const size of [1, 2, 3]) assert.deepEqual(await partedTexts(path, size), whole, `parts of ${size}`);
});

test('an incremental update replaces the object it updates, in parts as when read whole', async () => {
  const path = write(appendUpdate(tinyPdf(THREE_PAGES, 1), { 9: textStream('page three, updated') }, 1));
  const whole = await texts(await PdfDocument.open(path));
  assert.equal(whole[2], 'pzge\n \nthree,\n \nupdzted');
  assert.deepEqual(await partedTexts(path, 1), whole);
});

test('a page tree that loops or miscounts is refused by the cutter, and the document is then read whole', async () => {
  const looped = write(tinyPdf({ ...THREE_PAGES, 3: THREE_PAGES[3]!.replace('6 0 R]', '6 0 R 3 0 R]').replace('/Count 3 /Res', '/Count 4 /Res'), 2: THREE_PAGES[2]!.replace('/Count 3', '/Count 4') }, 1));
  const miscounted = write(tinyPdf({ ...THREE_PAGES, 2: THREE_PAGES[2]!.replace('/Count 3', '/Count 5') }, 1));
  assert.throws(() => PdfPartSource.open(looped), (error: unknown) => error instanceof PdfSyntaxError && /twice/.test(error.message));
  assert.throws(() => PdfPartSource.open(miscounted), (error: unknown) => error instanceof PdfSyntaxError && /holds 3 pages, its \/Count says 5/.test(error.message));
  const whole = await openPageSource(miscounted, 1);
  assert.ok(whole.doc instanceof PdfDocument, 'read whole');
  assert.match(whole.readAs, /^whole: not cut: the page tree holds 3 pages, its \/Count says 5$/);
  await whole.doc.close();
});

test('a page the walk took unread that is no page, or nests past the limit, fails its cut; the rest is read whole', async () => {
  const nested = write(tinyPdf({ ...THREE_PAGES, 5: `<< /Type /Page /Parent 3 0 R /Contents 8 0 R /X ${'['.repeat(300)}${']'.repeat(300)} >>` }, 1));
  const notAPage = write(tinyPdf({ ...THREE_PAGES, 5: '<< /Type /Pages /Parent 3 0 R /Kids [] /Count 0 >>' }, 1));
  for (const [path, problem] of [[nested, /nested deeper/], [notAPage, /is a node of the tree/]] as const) {
    const source = PdfPartSource.open(path);
    try {
      assert.equal(source.pages, 3, 'the kids of a node counting as many pages are taken unread');
      assert.ok(source.cut(1, 1).length > 0);
      assert.throws(() => source.cut(2, 3), (error: unknown) => error instanceof PdfSyntaxError && problem.test(error.message));
    } finally {
      source.close();
    }
    const whole = await PdfDocument.open(path);
    const wholeTexts: string[] = [];
    for (let page = 1; page <= whole.pages; page += 1) wholeTexts.push(await whole.pageText(page).catch((error: Error) => `error: ${error.message}`));
    await whole.close();
    const parted = await PartedDocument.open(path, 1);
    const partTexts: string[] = [];
    for (let page = 1; page <= parted.pages; page += 1) partTexts.push(await parted.pageText(page).catch((error: Error) => `error: ${error.message}`));
    await parted.close();
    assert.equal(parted.readWholeFrom, 2, `${String(problem)}: read whole from the part that failed to cut`);
    assert.match(parted.readAs, /^in parts of 1 pages, then whole from page 2: ./, String(problem));
    // Read whole from the failed cut on, the document has the pages pdf.js finds in it (here fewer than /Count).
    assert.equal(parted.pages, whole.pages, String(problem));
    assert.deepEqual(partTexts.slice(0, whole.pages), wholeTexts, String(problem));
  }
});

test('a document of at most --part-pages pages is read whole, with no cut', async () => {
  const path = write(tinyPdf(THREE_PAGES, 1));
  const short = await openPageSource(path, 3);
  assert.ok(short.doc instanceof PdfDocument);
  assert.equal(short.readAs, 'whole: 3 pages, within one part');
  await short.doc.close();
  const long = await openPageSource(path, 2);
  assert.ok(long.doc instanceof PartedDocument);
  assert.equal(long.readAs, 'in parts of 2 pages');
  assert.deepEqual(await texts(long.doc), ['pzge\n \none', 'pzge\n \ntwo', 'pzge\n \nthree']);
});

test('an encrypted or broken input is refused by the cutter and fails as the whole document does', async () => {
  for (const name of ['encrypted.pdf', 'truncated.pdf', 'not-a-pdf.pdf', 'empty.pdf']) {
    const path = fixture('pdf', 'broken', name);
    assert.throws(() => PdfPartSource.open(path), PdfSyntaxError, name);
    const whole = await PdfDocument.open(path).then(
      () => 'opened',
      (error: Error) => error.message,
    );
    const viaParts = await openPageSource(path, 7).then(
      () => 'opened',
      (error: Error) => error.message,
    );
    assert.equal(viaParts, whole, name);
  }
});

test('cross-reference and object streams with a PNG predictor (qpdf --object-streams=generate) are followed', async () => {
  const path = fixture('pdf', 'sample-3p-objstm.pdf');
  const source = PdfPartSource.open(path);
  source.close();
  assert.equal(source.pages, 3);
  assert.deepEqual(await partedTexts(path, 1), await texts(await PdfDocument.open(path)));
});

test('a cross-reference stream whose predictor has no columns neither hangs nor misreads: one column, as pdf.js takes it', { timeout: 20_000 }, async () => {
  const path = write(tinyPdfWithXrefStream(THREE_PAGES, 1, '<< /Predictor 2 /Columns 0 >>', (rows) => deflateSync(rows)));
  assert.deepEqual(await partedTexts(path, 1), await texts(await PdfDocument.open(path)));
});

test('an intermediate node whose /Count is not the pages under it is refused: pdf.js would skip by it to other pages', () => {
  const path = write(tinyPdf({ ...THREE_PAGES, 3: THREE_PAGES[3]!.replace('/Count 3', '/Count 2') }, 1));
  assert.throws(() => PdfPartSource.open(path), (error: unknown) => error instanceof PdfSyntaxError && /node 3 holds 3 pages, its \/Count says 2/.test(error.message));
});

test('a linearization dictionary naming another first page than the tree is refused; the document is read whole', async () => {
  const { 1: catalog, ...rest } = THREE_PAGES;
  const build = (length: string) => tinyPdf({ 1: `<< /Linearized 1 /L ${length} /N 3 /O 6 /H [100 100] /E 100 /T 100 >>`, ...rest, 13: catalog! }, 13);
  const size = build('0000000000').length;
  const path = write(build(String(size).padStart(10, '0')));
  assert.throws(() => PdfPartSource.open(path), (error: unknown) => error instanceof PdfSyntaxError && /linearization/.test(error.message));
  const { doc } = await openPageSource(path, 1);
  assert.ok(doc instanceof PdfDocument);
  // pdf.js takes page 1 from /O: the third page's object.
  assert.deepEqual(await texts(doc), ['pzge\n \nthree', 'pzge\n \ntwo', 'pzge\n \nthree']);
});
