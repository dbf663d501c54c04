// The ingest worker loads pdf-parse with Node's own Array.prototype.push put back: core-js, inside pdfjs-dist's
// legacy build, replaces it with a slower one on V8 12.1 and older (Node 20). Nothing in this file's imports loads
// pdf-parse, so the push captured here is Node's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PdfDocument } from '../../harness/workloads/ingest/pdf-document.js';
import { loadPdfParse } from '../../harness/workloads/ingest/pdf-parse-loader.js';
import { fixture } from '../helpers/paths.js';

const NODE_PUSH = Array.prototype.push;

/** core-js's own test for replacing push: an array with a read-only length must throw on push() (V8 bug 12681). */
function coreJsReplacesPush(): boolean {
  try {
    Object.defineProperty([], 'length', { writable: false }).push();
  } catch (error) {
    return !(error instanceof TypeError);
  }
  return true;
}

/** V8 12.1 and older (Node 20, 21) have the bug, so Node's own push is the one that does not throw there. */
const [V8_MAJOR, V8_MINOR] = process.versions.v8.split('.').map(Number) as [number, number];
const V8_HAS_PUSH_BUG = V8_MAJOR < 12 || (V8_MAJOR === 12 && V8_MINOR <= 1);

test('nothing this file imports has loaded pdf-parse: the push here behaves as Node\'s own', () => {
  assert.equal(coreJsReplacesPush(), V8_HAS_PUSH_BUG, `V8 ${process.versions.v8}`);
});

test('pdf-parse loads with Node\'s own push; pdf.js uses the worker module loaded beside it', async () => {
  const loaded = await loadPdfParse();
  assert.equal(loaded.nativePushRestored, coreJsReplacesPush(), `Node ${process.version}: core-js replaces push exactly where its test says so`);
  assert.equal(Array.prototype.push, NODE_PUSH, 'Node\'s push after loading');
  const worker = (globalThis as { pdfjsWorker?: { WorkerMessageHandler?: unknown } }).pdfjsWorker;
  assert.equal(typeof worker?.WorkerMessageHandler, 'function', 'pdf.js finds its worker module on globalThis');
  assert.equal(await loadPdfParse(), loaded, 'loaded once per process');

  const doc = await PdfDocument.open(fixture('pdf', 'sample-3p.pdf'));
  try {
    assert.ok((await doc.pageText(1)).length > 0, 'page 1 has text');
  } finally {
    await doc.close();
  }
  assert.equal(Array.prototype.push, NODE_PUSH, 'opening a document and reading a page loads no second core-js');
  assert.equal(coreJsReplacesPush(), V8_HAS_PUSH_BUG, 'push behaves as Node\'s own after reading a page');
  const items: number[] = [];
  assert.equal(items.push(1, 2), 2, 'push works');
  assert.deepEqual(items, [1, 2]);
});
