// Docker's memory units: a number with an optional b/k/m/g/t suffix (binary multiples), e.g. 512m, 1.5g, 134217728.
const MULTIPLIERS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

const BYTE_SIZE_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)\s*([bkmgt]?)(?:i?b)?$/i;

export const BYTE_SIZE_FORM = 'a positive size in bytes or with a unit b, k, m, g or t (for example 512m, 1.5g, 134217728)';

/** Parses a Docker-style size; returns null when the text is not one. */
export function parseByteSize(text: string): number | null {
  const match = BYTE_SIZE_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, amount = '', unit = ''] = match;
  const multiplier = MULTIPLIERS[unit.toLowerCase()];
  if (multiplier === undefined) return null;
  const bytes = Math.floor(Number(amount) * multiplier);
  return Number.isFinite(bytes) ? bytes : null;
}

export const MIB = 1024 * 1024;

export function bytesToMiB(bytes: number): number {
  return Math.round((bytes / MIB) * 10) / 10;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % (1024 ** 3 / 10) === 0) return `${bytes / 1024 ** 3}g`;
  if (bytes >= MIB) return `${Math.round((bytes / MIB) * 10) / 10}m`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)}k`;
  return `${bytes}b`;
}
