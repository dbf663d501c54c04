// "key value" per line, the format of memory.stat, memory.events (v2) and memory.oom_control (v1).
export function parseKeyedCounters(text: string): Map<string, number> {
  const counters = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value, ...rest] = line.trim().split(/\s+/);
    if (!key || value === undefined || rest.length > 0) continue;
    const number = Number(value);
    if (Number.isFinite(number)) counters.set(key, number);
  }
  return counters;
}

/** A single integer file such as memory.usage_in_bytes or memory.current; "max" (v2, no limit) is null. */
export function parseSingleValue(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === 'max') return null;
  if (!/^\d+$/.test(trimmed)) throw new Error(`expected an integer or "max", got ${JSON.stringify(trimmed.slice(0, 40))}`);
  return Number(trimmed);
}
