// What an ingest worker is told when it starts: its id, whether it plans (reads the page counts first), and which
// input a warm spare opens while it waits. The coordinator and the supervisor's early start write it the same way.

export interface IngestWorkerRole {
  workerId: number;
  plan: boolean;
  warm: number | null;
}

/** The worker's one argument after the config path. */
export function ingestRoleArgument(role: IngestWorkerRole): string {
  return JSON.stringify({ workerId: role.workerId, plan: role.plan, warm: role.warm });
}

/** The first worker of every ingest run: worker 1, planning, not a spare. */
export const FIRST_INGEST_WORKER: IngestWorkerRole = { workerId: 1, plan: true, warm: null };
