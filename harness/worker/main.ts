// Entry point of a worker process, started by the supervisor with an IPC channel.
import { sendMessage } from 'execa';
import { SyntheticWorkloadSchema } from '../common/run-config.js';
import type { WorkerMessage } from '../common/worker-messages.js';
import { runSyntheticWorker } from './synthetic-workload.js';

async function send(message: WorkerMessage): Promise<void> {
  if (process.channel) await sendMessage(message);
}

async function main(): Promise<void> {
  const [kind, specJson = '{}'] = process.argv.slice(2);
  switch (kind) {
    case 'synthetic':
      await runSyntheticWorker(SyntheticWorkloadSchema.parse(JSON.parse(specJson)), (name) => send({ type: 'phase', name }));
      break;
    default:
      throw new Error(`unknown worker kind ${JSON.stringify(kind)}: expected synthetic or ingest`);
  }
  process.disconnect?.();
}

main().catch((error: unknown) => {
  process.stderr.write(`oom-harness worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
  process.disconnect?.();
});
