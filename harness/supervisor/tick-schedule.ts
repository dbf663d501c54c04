// Ticks are due on a grid, start + k * interval on the monotonic clock, so lateness in one tick never shifts the
// rest. The interval may change between ticks (finer near the cap); both grids share the same start.
export interface NextTick {
  dueMs: number;
  /** Grid slots passed over because the previous tick ran more than a whole interval late. */
  skipped: number;
}

export function nextTick(startMs: number, intervalMs: number, lastDueMs: number | null, nowMs: number): NextTick {
  const firstAfterLast = lastDueMs === null ? 0 : Math.floor((lastDueMs - startMs) / intervalMs + 1e-9) + 1;
  // The latest slot already due; a slot more than one interval overdue is dropped, not run late.
  const latestDue = Math.floor((nowMs - startMs) / intervalMs);
  const slot = Math.max(firstAfterLast, latestDue);
  return { dueMs: startMs + slot * intervalMs, skipped: slot - firstAfterLast };
}

/** Near the cap the sampler looks more often, so the last rows before an OOM kill sit close to the peak. */
export const NEAR_CAP_SHARE = 0.85;

export function samplingInterval(intervalMs: number, nearCapIntervalMs: number, usageBytes: number | null, limitBytes: number | null): number {
  if (usageBytes === null || !limitBytes) return intervalMs;
  return usageBytes >= limitBytes * NEAR_CAP_SHARE ? Math.min(intervalMs, nearCapIntervalMs) : intervalMs;
}
