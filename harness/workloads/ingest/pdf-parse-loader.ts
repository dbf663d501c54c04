// pdf-parse as the ingest worker loads it: with pdf.js's worker module loaded beside it, and Node's own
// Array.prototype.push put back afterwards.
//
// pdf-parse runs pdfjs-dist's legacy build in Node, and both of its modules carry core-js. core-js replaces
// Array.prototype.push, for the whole process, with a push written in JavaScript wherever V8 is 12.1 or older
// (Node 20 and 21): there, push() with no arguments on an array whose length is read-only does not throw
// (https://bugs.chromium.org/p/v8/issues/detail?id=12681). pdf.js pushes in its hottest loops, and on Node 20 the
// replacement took about 14% of a worker's CPU (profiled on 396 pages: the push itself and its length writes).
// For what pdf.js does the two differ only in that case, which it never meets (it freezes no array, and never
// pushes nothing). Text read with Node's push is byte-identical to getText() with core-js's on every fixture and the
// manuals installed (test/unit/pdf-text-identity.test.ts compares them across two processes).
//
// pdf.js loads its worker module on the first document opened, and that module installs core-js's push again;
// loaded here first, it leaves itself on globalThis.pdfjsWorker, where pdf.js finds it instead of importing it.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { PDFParse } from 'pdf-parse';

export interface LoadedPdfParse {
  PDFParse: typeof PDFParse;
  /** Whether loading replaced Array.prototype.push, and Node's own was put back. */
  nativePushRestored: boolean;
}

let loading: Promise<LoadedPdfParse> | null = null;

/** pdf-parse, loaded once per process. Its first call keeps the push the process has then. */
export function loadPdfParse(): Promise<LoadedPdfParse> {
  loading ??= load();
  return loading;
}

async function load(): Promise<LoadedPdfParse> {
  const push = Array.prototype.push;
  const { PDFParse } = await import('pdf-parse');
  await import(pdfJsWorkerModule());
  const replaced = Array.prototype.push !== push;
  if (replaced) Object.defineProperty(Array.prototype, 'push', { value: push, writable: true, enumerable: false, configurable: true });
  return { PDFParse, nativePushRestored: replaced };
}

/** pdf.js's worker module, found as pdf-parse's own import of pdfjs-dist finds its legacy build. */
function pdfJsWorkerModule(): string {
  const pdfParseEntry = createRequire(import.meta.url).resolve('pdf-parse');
  return pathToFileURL(createRequire(pdfParseEntry).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs')).href;
}
