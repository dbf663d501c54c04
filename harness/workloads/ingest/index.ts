// The PDF ingest (`run-in-docker`): page ranges extracted with pdf-parse by short-lived workers, batched to a sink.
// The workers' side is worker-entry.ts, loaded by worker processes only.
import type { Workload } from '../contract/workload.js';
import { coordinateIngest } from './coordinator.js';
import { IngestSpecSchema, type IngestSpec } from './spec.js';

export const ingestWorkload: Workload<IngestSpec> = {
  kind: 'ingest',
  specSchema: IngestSpecSchema,
  coordinate: coordinateIngest,
};
