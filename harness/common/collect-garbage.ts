// A full collection now, where the process runs with --expose-gc (every worker does); nothing elsewhere.
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
