// The PDF ingest (`run-in-docker`): page ranges extracted with pdf-parse by short-lived workers, batched to a sink.
import { z } from 'zod';
import type { Workload } from '../contract/workload.js';
import { coordinateIngest } from './coordinator.js';
import { IngestSpecSchema, type IngestSpec } from './spec.js';

const RoleSchema = z.object({ workerId: z.number().int().positive(), plan: z.boolean(), warm: z.number().int().min(0).nullable().default(null) });

export const ingestWorkload: Workload<IngestSpec> = {
  kind: 'ingest',
  specSchema: IngestSpecSchema,
  coordinate: coordinateIngest,
  // Loaded by the worker only: the supervisor, which imports this module too, never needs pdf-parse.
  work: async (spec, args, channel) => {
    const { runIngestWorker } = await import('./worker.js');
    return runIngestWorker(spec, RoleSchema.parse(JSON.parse(args[0] ?? '{}')), channel);
  },
};
