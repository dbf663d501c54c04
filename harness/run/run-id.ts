import { randomBytes } from 'node:crypto';

/** Sortable by time, unique across parallel runs: 20261124-061604-3fa9c2. */
export function makeRunId(now: Date = new Date()): string {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** What makeRunId makes, and nothing else: a run directory's or a bundle's name without extension. */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{6}$/;
