// Ticks are due at start + k * interval on the monotonic clock, so lateness in one tick never shifts the rest.
export interface NextTick {
  index: number;
  dueMs: number;
  skipped: number;
}

export function nextTick(startMs: number, intervalMs: number, lastIndex: number, nowMs: number): NextTick {
  // The latest slot already due; a slot more than one interval overdue is dropped, not run late.
  const latestDue = Math.floor((nowMs - startMs) / intervalMs);
  const index = Math.max(lastIndex + 1, latestDue);
  return { index, dueMs: startMs + index * intervalMs, skipped: index - (lastIndex + 1) };
}
