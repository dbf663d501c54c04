// The ingest worker process's work. Loaded alone by worker/main.ts, without zod or the supervisor's side: a fresh
// worker is reading pages about 0.1 s sooner. The spec is the run-config's, which the supervisor validates.
import type { WorkerEntry } from '../contract/workload.js';
import type { IngestSpec } from './spec.js';
import { runIngestWorker } from './worker.js';
import { parseIngestRole } from './worker-role.js';

export const work: WorkerEntry = (workload, args, channel) => runIngestWorker(workload as IngestSpec, parseIngestRole(args[0] ?? ''), channel);
