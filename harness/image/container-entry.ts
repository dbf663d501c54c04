// Where the container's entry point is, and whether the bundle there is the build of the compiled files beside it.
// npm run build bundles the supervisor and the worker process (scripts/bundle-cli.ts) into dist/harness/container,
// which the runtime image carries to /opt/oom-harness/dist/harness; the bundle records which compiled files it was
// made from (BUNDLE_STAMP). A bundle missing, or older than any of those files (a build that stopped half-way, or
// tsc run alone), would put code into the image that the host's compiled files do not match: the image's plan
// refuses it instead.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CONTAINER_ENTRY_DIR = 'container';

/** The supervisor's entry, relative to the project (or /opt/oom-harness in the image). */
export const SUPERVISOR_ENTRY = `dist/harness/${CONTAINER_ENTRY_DIR}/supervisor/main.js`;

/** Written last by the bundler: the compiled files it bundled, relative to dist/harness. */
export const BUNDLE_STAMP = `${CONTAINER_ENTRY_DIR}/bundled-from.json`;

/** Why dist/harness/container cannot go into an image (missing, or older than a file it bundles), or null. */
export function staleContainerBundle(distHarness: string): string | null {
  const stampPath = join(distHarness, BUNDLE_STAMP);
  let sources: unknown;
  let stampMs: number;
  try {
    stampMs = statSync(stampPath).mtimeMs;
    sources = (JSON.parse(readFileSync(stampPath, 'utf8')) as { sources?: unknown }).sources;
  } catch {
    return `the container's bundle is missing (${stampPath})`;
  }
  if (!Array.isArray(sources) || sources.some((source) => typeof source !== 'string')) return `${stampPath} lists no compiled files`;
  for (const source of sources as string[]) {
    let sourceMs: number;
    try {
      sourceMs = statSync(join(distHarness, source)).mtimeMs;
    } catch {
      return `the container's bundle was made from ${source}, which is gone`;
    }
    if (sourceMs > stampMs) return `the container's bundle is older than ${source}, one of the files it bundles`;
  }
  return null;
}
