// Parses /proc/<pid>/smaps_rollup (Linux 4.14+): the process's proportional share of memory (PSS), where a page
// shared by n processes counts 1/n in each, so PSS summed over processes never counts a page twice.
export interface ProcessShare {
  pssBytes: number;
  /** Pss_Anon, Pss_File: Linux 5.9+; null on older kernels. */
  pssAnonBytes: number | null;
  pssFileBytes: number | null;
}

const KIB = 1024;

export function parseSmapsRollup(text: string): ProcessShare | null {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+) kB$/.exec(line.trim());
    if (match) fields.set(match[1]!, Number(match[2]) * KIB);
  }
  const pss = fields.get('Pss');
  if (pss === undefined) return null;
  return { pssBytes: pss, pssAnonBytes: fields.get('Pss_Anon') ?? null, pssFileBytes: fields.get('Pss_File') ?? null };
}
