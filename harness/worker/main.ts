// Entry point of a worker process, started by the supervisor with an IPC channel:
//   node worker/main.js <run-config.json> [workload arguments...]
import { readFileSync } from 'node:fs';
import type { WorkerMessage } from '../common/worker-messages.js';
import { directoryReader, locateOwnMemoryCgroup } from '../kernel/cgroup-location.js';
import { readCgroupMemory } from '../kernel/cgroup-memory.js';
import { loadWorkerEntry } from '../workloads/worker-entries.js';
import type { WorkerChannel } from '../workloads/contract/workload.js';
import { close, listen, receiveMessage, sendMessage } from './ipc-channel.js';

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

const channel: WorkerChannel = {
  send: sendMessage,
  receive: receiveMessage,
  phase: (name) => sendMessage(phaseMessage(name)),
};

async function main(): Promise<void> {
  listen();
  const [configPath = '', ...args] = process.argv.slice(2);
  // The supervisor validates this same file (read-only in the container) and stops every worker if it does not.
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as { workload?: { kind?: unknown } };
  const work = await loadWorkerEntry(config.workload?.kind);
  await work(config.workload, args, channel);
  close();
}

main().catch((error: unknown) => {
  process.stderr.write(`oom-harness worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
  close();
});
