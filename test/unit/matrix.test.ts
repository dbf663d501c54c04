import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { matrixExitCode, runMatrix, type Cell } from '../../harness/search/matrix.js';

const MIB = 1024 * 1024;

test('the matrix runs cells in parallel only while their caps fit the budget, and keeps cell order', async () => {
  let inFlight = 0;
  let inFlightBytes = 0;
  let most = 0;
  const cells: Cell[] = [512, 768, 256, 512].flatMap((mb) => [{ input: 'a.pdf', capBytes: mb * MIB }]);
  const results = await runMatrix({ cells, parallel: 3, budgetBytes: 1024 * MIB }, async (cell) => {
    inFlight += 1;
    inFlightBytes += cell.capBytes;
    most = Math.max(most, inFlight);
    assert.ok(inFlightBytes <= 1024 * MIB, `${inFlightBytes / MIB} MiB in flight`);
    await sleep(20);
    inFlight -= 1;
    inFlightBytes -= cell.capBytes;
    return { verdict: cell.capBytes === 256 * MIB ? 'cgroup-oom' : 'completed', exitCode: 0, kernelPeakMb: 1, bundle: null, startedAt: '', finishedAt: '' };
  });
  assert.deepEqual(results.map((r) => r.capBytes / MIB), [512, 768, 256, 512]);
  assert.ok(most >= 2, 'cells did run side by side');
  assert.equal(matrixExitCode(results), 3);
  assert.equal(matrixExitCode(results.filter((r) => r.verdict === 'completed')), 0);
});
