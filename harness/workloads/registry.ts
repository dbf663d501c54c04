// Every workload the supervisor and the workers can run, by the `kind` of its spec in run-config.json.
import { execWorkload } from './exec/index.js';
import { ingestWorkload } from './ingest/index.js';
import { syntheticWorkload } from './synthetic/index.js';
import type { Workload } from './contract/workload.js';

const WORKLOADS = [ingestWorkload, syntheticWorkload, execWorkload] as unknown as ReadonlyArray<Workload<{ kind: string }>>;

export function findWorkload(kind: string): Workload<{ kind: string }> {
  const workload = WORKLOADS.find((candidate) => candidate.kind === kind);
  if (!workload) throw new Error(`unknown workload ${JSON.stringify(kind)}: expected ${WORKLOADS.map((w) => w.kind).join(' or ')}`);
  return workload;
}
