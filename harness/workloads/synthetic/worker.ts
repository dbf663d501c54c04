// A worker that allocates memory on a schedule and ends the way it is told: the harness's test workload.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SyntheticSpec } from './spec.js';
import { MIB } from '../../common/byte-size.js';
import { collectGarbage } from '../../common/collect-garbage.js';

type Chunk = Buffer | number[];

const DOUBLES_PER_MIB = MIB / 8;

function allocateChunk(memory: SyntheticSpec['memory'], mb: number, seed: number): Chunk {
  if (memory === 'buffer') {
    // allocUnsafe then fill: every page is written, so every page is resident and charged to the cgroup.
    const buffer = Buffer.allocUnsafe(Math.round(mb * MIB));
    buffer.fill(seed & 0xff);
    return buffer;
  }
  const array: number[] = new Array(Math.round(mb * DOUBLES_PER_MIB));
  for (let i = 0; i < array.length; i += 1) array[i] = i + seed + 0.5;
  return array;
}

export async function runSyntheticWorker(
  spec: SyntheticSpec,
  announce: (phase: string) => Promise<void>,
  report: (allocatedMb: number) => Promise<void>,
): Promise<void> {
  if (spec.ending === 'hang-ignoring-sigterm') process.on('SIGTERM', () => undefined);
  await announce('baseline');
  let chunks: Chunk[] = [];
  let allocatedMb = 0;
  let step = 0;
  while (spec.target_mb === null || allocatedMb < spec.target_mb) {
    const mb = spec.target_mb === null ? spec.step_mb : Math.min(spec.step_mb, spec.target_mb - allocatedMb);
    chunks.push(allocateChunk(spec.memory, mb, step));
    allocatedMb += mb;
    step += 1;
    await report(allocatedMb);
    if (spec.step_interval_ms > 0) await sleep(spec.step_interval_ms);
  }
  await announce('peak');
  if (spec.hold_ms > 0) await sleep(spec.hold_ms);
  for (let i = 0; i < spec.churn_iterations; i += 1) {
    const slot = i % chunks.length;
    const size = chunks[slot] instanceof Buffer ? (chunks[slot] as Buffer).length / MIB : spec.step_mb;
    chunks[slot] = allocateChunk(spec.memory, size, i);
  }
  if (spec.churn_iterations > 0) await announce('churned');
  if (spec.release) {
    chunks = [];
    collectGarbage();
    await sleep(50);
    collectGarbage();
    await announce('released');
  }
  if (spec.after_release_ms > 0) await sleep(spec.after_release_ms);
  await announce('settled');
  keepAlive(chunks);
  await end(spec.ending);
}

// Keeps the chunks reachable until the ending, so a workload that does not release really holds its memory.
function keepAlive(chunks: Chunk[]): void {
  (globalThis as { __oomHarnessRetained?: Chunk[] }).__oomHarnessRetained = chunks;
}

async function end(ending: SyntheticSpec['ending']): Promise<void> {
  switch (ending) {
    case 'exit':
      return;
    case 'sigkill-self':
      process.kill(process.pid, 'SIGKILL');
      await sleep(10_000);
      return;
    case 'crash':
      throw new Error('synthetic workload crashed on purpose');
    case 'hang':
    case 'hang-ignoring-sigterm':
      await new Promise(() => setInterval(() => undefined, 1000));
  }
}
