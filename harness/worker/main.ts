// Entry point of a worker process, started by the supervisor with an IPC channel.
import { getOneMessage, sendMessage } from 'execa';
import { z } from 'zod';
import { IngestWorkloadSchema, SyntheticWorkloadSchema } from '../common/run-config.js';
import type { SupervisorMessage, WorkerMessage } from '../common/worker-messages.js';
import { directoryReader, locateOwnMemoryCgroup } from '../kernel/cgroup-location.js';
import { readCgroupMemory } from '../kernel/cgroup-memory.js';
import { runIngestWorker } from './ingest-worker.js';
import { runSyntheticWorker } from './synthetic-workload.js';

const RoleSchema = z.object({ workerId: z.number().int().positive(), plan: z.boolean() });

async function send(message: WorkerMessage): Promise<void> {
  if (process.channel) await sendMessage(message);
}

const cgroup = locateOwnMemoryCgroup();

function phaseMessage(name: string): WorkerMessage {
  let usage: number | null = null;
  try {
    usage = cgroup ? readCgroupMemory(cgroup.version, directoryReader(cgroup.dir)).usageBytes : null;
  } catch {
    usage = null;
  }
  return { type: 'phase', name, rss_bytes: process.memoryUsage.rss(), cgroup_usage_bytes: usage };
}

async function main(): Promise<void> {
  const [kind, specJson = '{}', roleJson = '{}'] = process.argv.slice(2);
  switch (kind) {
    case 'synthetic':
      await runSyntheticWorker(SyntheticWorkloadSchema.parse(JSON.parse(specJson)), (name) => send(phaseMessage(name)));
      break;
    case 'ingest':
      await runIngestWorker(IngestWorkloadSchema.parse(JSON.parse(specJson)), RoleSchema.parse(JSON.parse(roleJson)), {
        send,
        receive: async () => (await getOneMessage()) as SupervisorMessage,
      });
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
