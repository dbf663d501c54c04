// Kubernetes quantities from the harness's units: bytes as Mi or Gi where exact (else plain bytes), CPUs as cores
// or millicores. Parsed back too, so a test can check a manifest carries the cap exactly.
const MI = 1024 ** 2;
const GI = 1024 ** 3;
const BINARY: Record<string, number> = { '': 1, Ki: 1024, Mi: MI, Gi: GI, Ti: 1024 ** 4 };

export function memoryQuantity(bytes: number): string {
  if (bytes % GI === 0) return `${bytes / GI}Gi`;
  if (bytes % MI === 0) return `${bytes / MI}Mi`;
  return String(bytes);
}

export function cpuQuantity(cpus: number): string {
  const millis = Math.round(cpus * 1000);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes of a memory quantity in the binary or plain forms memoryQuantity writes; null for any other form. */
export function parseMemoryQuantity(text: string): number | null {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(text);
  return match ? Number(match[1]) * BINARY[match[2] ?? '']! : null;
}

/** A name part for a cap: 2gi, 512mi, 1536mi, or the bytes when not whole MiB. */
export function capLabel(bytes: number): string {
  if (bytes % GI === 0) return `${bytes / GI}gi`;
  return bytes % MI === 0 ? `${bytes / MI}mi` : `${bytes}b`;
}
