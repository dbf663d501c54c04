// The PDF ingest (`run-in-docker`): page ranges extracted with pdf-parse by short-lived workers, batched to a sink.
import { z } from 'zod';
import type { Workload } from '../contract/workload.js';
import { coordinateIngest } from './coordinator.js';
import { IngestSpecSchema, type IngestSpec } from './spec.js';
import { runIngestWorker } from './worker.js';

const RoleSchema = z.object({ workerId: z.number().int().positive(), plan: z.boolean() });

export const ingestWorkload: Workload<IngestSpec> = {
  kind: 'ingest',
  specSchema: IngestSpecSchema,
  coordinate: coordinateIngest,
  work: (spec, args, channel) => runIngestWorker(spec, RoleSchema.parse(JSON.parse(args[0] ?? '{}')), channel),
};
