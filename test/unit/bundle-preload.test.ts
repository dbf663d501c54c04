// The bundle's preload: made a second into a run, taken once by the bundle, and released when no bundle is written.
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { test } from 'node:test';
import { KernelLogReader } from '../../harness/bundle/dmesg-excerpt.js';
import { BundlePreload } from '../../harness/run/bundle-preload.js';

/** How many of this process's open files are the kernel log. */
const kernelLogsOpen = () =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === '/dev/kmsg';
    } catch {
      return false;
    }
  }).length;

/** Whether /dev/kmsg can be read here (root, as in CI): the preload then holds it open. */
function kernelLogReadable(): boolean {
  try {
    new KernelLogReader().close();
    return true;
  } catch {
    return false;
  }
}

test('a run shorter than the preload delay bundles without a preload, and none starts after the bundle took its place', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const preload = new BundlePreload();
  preload.schedule();
  assert.equal(await preload.take(), null, 'nothing preloaded before the delay');
  t.mock.timers.tick(5_000);
  assert.equal(await preload.take(), null, 'the timer was cancelled by the first take');
});

test('a preload a second in loads the bundle and opens the kernel log; taken, it is handed over; disposed unused, the log is closed', async (t) => {
  if (!kernelLogReadable()) return t.skip('/dev/kmsg cannot be read here: run the tests as root');
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const before = kernelLogsOpen();
  const taken = new BundlePreload();
  taken.schedule();
  t.mock.timers.tick(1_000);
  const preloaded = await taken.take();
  assert.ok(preloaded, 'preloaded after a second');
  assert.equal(typeof preloaded.bundle.writeBundle, 'function');
  assert.ok(preloaded.kernelLog, 'the kernel log opened ahead');
  assert.ok(Array.isArray(await preloaded.gpus));
  assert.equal(kernelLogsOpen(), before + 1, 'held open for the bundle');
  preloaded.kernelLog.close();

  const unused = new BundlePreload();
  unused.schedule();
  t.mock.timers.tick(1_000);
  await new Promise((resolve) => setImmediate(resolve));
  unused.dispose();
  await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 50 && kernelLogsOpen() !== before; i += 1) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(kernelLogsOpen(), before, 'closed when no bundle takes it');
});
