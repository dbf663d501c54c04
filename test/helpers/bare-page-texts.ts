// Bare pdf-parse in a process of its own, as the bench's baseline runs it: getText() of a whole PDF, page by page.
// Usage: node dist/test/helpers/bare-page-texts.js <pdf> ; prints {"total","pages","push_replaced"} as JSON, where
// push_replaced says whether loading pdf-parse replaced Array.prototype.push (core-js, on V8 12.1 and older).
import { readFileSync } from 'node:fs';

const push = Array.prototype.push;
const { PDFParse } = await import('pdf-parse');
const parser = new PDFParse({ data: readFileSync(process.argv[2]!) });
const result = await parser.getText();
await parser.destroy();
process.stdout.write(JSON.stringify({ total: result.total, pages: result.pages.map((page) => page.text), push_replaced: Array.prototype.push !== push }));
