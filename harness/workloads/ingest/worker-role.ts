// What an ingest worker is told when it starts: its id, whether it plans (reads the page counts first), and which
// input a warm spare opens while it waits. The coordinator and the supervisor's early start write it the same way.

export interface IngestWorkerRole {
  workerId: number;
  /** The first worker reads every input's page count before taking ranges. */
  plan: boolean;
  /** A warm spare: the input to open before it says it is ready, or null. */
  warm: number | null;
}

/** The worker's one argument after the config path. */
export function ingestRoleArgument(role: IngestWorkerRole): string {
  return JSON.stringify({ workerId: role.workerId, plan: role.plan, warm: role.warm });
}

/** The first worker of every ingest run: worker 1, planning, not a spare. */
export const FIRST_INGEST_WORKER: IngestWorkerRole = { workerId: 1, plan: true, warm: null };

/** The role from the worker's argument; an argument that is not one the coordinator writes is an error naming it. */
export function parseIngestRole(argument: string): IngestWorkerRole {
  let value: unknown;
  try {
    value = JSON.parse(argument);
  } catch {
    value = null;
  }
  const role = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { workerId, plan, warm = null } = role;
  const count = (n: unknown, min: number) => typeof n === 'number' && Number.isInteger(n) && n >= min;
  if (!count(workerId, 1) || typeof plan !== 'boolean' || !(warm === null || count(warm, 0))) {
    throw new Error(`ingest worker role: got ${JSON.stringify(argument)}, expected {"workerId": 1 or more, "plan": true or false, "warm": null or an input index}`);
  }
  return { workerId: workerId as number, plan, warm: warm as number | null };
}
