// The run files' CSV codec: rows written on the fast path are byte-identical to csv-stringify's, and read back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { csvLines, parseCsv, type CsvValue } from '../../harness/run-files/csv.js';

const PIECES = ['', 'a', ' ', 'node', ',', '"', '\n', '\r', '\t', '=1+1', '-5', 'é', '😀', "'", '\\', ';'];

function randomValue(next: () => number): CsvValue {
  const kind = Math.floor(next() * 4);
  if (kind === 0) return null;
  if (kind === 1) return [0, -0, 1, -1.5, 0.1 + 0.2, 1e21, 123456.7, Number.MAX_SAFE_INTEGER][Math.floor(next() * 8)]!;
  let text = '';
  const length = Math.floor(next() * 5);
  for (let i = 0; i < length; i += 1) text += PIECES[Math.floor(next() * PIECES.length)]!;
  return text;
}

test('every record is written exactly as csv-stringify writes it, and csv-parse reads it back', () => {
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const header = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'];
  for (let round = 0; round < 2000; round += 1) {
    const record = header.map(() => randomValue(next));
    const expected = stringify([record.map((value) => value ?? '')]);
    assert.equal(csvLines([record]), expected, JSON.stringify(record));
    const [row] = parseCsv(csvLines([header]) + csvLines([record]));
    assert.deepEqual(
      header.map((name) => row![name]),
      record.map((value) => (value === null ? '' : String(value))),
      JSON.stringify(record),
    );
  }
});

test('several records come out one line each, in order', () => {
  assert.equal(csvLines([[1, 'a'], [null, 'b,c'], ['x"y', 2]]), '1,a\n,"b,c"\n"x""y",2\n');
});
