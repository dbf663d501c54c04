import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseByteSize } from '../../harness/common/byte-size.js';
import { capBytesSchema } from '../../harness/options/option-schemas.js';

test('parses Docker memory units as binary multiples', () => {
  assert.equal(parseByteSize('512m'), 512 * 1024 ** 2);
  assert.equal(parseByteSize('6g'), 6 * 1024 ** 3);
  assert.equal(parseByteSize('1.5g'), 1.5 * 1024 ** 3);
  assert.equal(parseByteSize('134217728'), 134217728);
  assert.equal(parseByteSize('2G'), 2 * 1024 ** 3);
  assert.equal(parseByteSize('64MB'), 64 * 1024 ** 2);
  assert.equal(parseByteSize('100k'), 102400);
});

test('rejects what is not a size', () => {
  for (const text of ['6x', '-1g', '', 'g', '1..5g', '1e9', 'abc']) assert.equal(parseByteSize(text), null, text);
});

test('the cap schema rejects zero, negatives, bad units and caps under the floor, naming the form', () => {
  for (const text of ['0', '-512m', '6x', '32m', '6m']) {
    const result = capBytesSchema.safeParse(text);
    assert.equal(result.success, false, text);
    assert.match(result.error!.issues[0]!.message, /size|at least 96m/);
  }
  assert.equal(capBytesSchema.parse('96m'), 96 * 1024 ** 2);
  assert.equal(capBytesSchema.safeParse('80m').success, false);
});
