// Where the container's entry point is, and whether the bundle there is the build of the compiled files beside it.
// npm run build bundles the supervisor and the worker process (scripts/bundle-cli.ts) into dist/harness/container,
// which the runtime image carries to /opt/oom-harness/dist/harness; the bundle records which compiled files it was
// made from and the files it wrote (BUNDLE_STAMP). A bundle missing, missing one of its own files, or older than any
// file it was made from (a build that stopped half-way, or tsc run alone), would put code into the image that the
// host's compiled files do not match: the image's plan refuses it instead.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CONTAINER_ENTRY_DIR = 'container';

/** The supervisor's entry, relative to the project (or /opt/oom-harness in the image). */
export const SUPERVISOR_ENTRY = `dist/harness/${CONTAINER_ENTRY_DIR}/supervisor/main.js`;

/** Written last by the bundler: the compiled files it bundled and the files it wrote, relative to dist/harness. */
export const BUNDLE_STAMP = `${CONTAINER_ENTRY_DIR}/bundled-from.json`;

/**
 * Why dist/harness/container cannot go into an image (missing, incomplete, or older than a file it bundles), or null.
 * `stat` looks at a file (throwing when it is not there): the image's plan passes the one that looks at every
 * compiled file once for its digest too.
 */
export function staleContainerBundle(distHarness: string, stat: (path: string) => { mtimeNs: bigint } = (path) => statSync(path, { bigint: true })): string | null {
  const modified = (path: string): bigint | null => {
    try {
      return stat(path).mtimeNs;
    } catch {
      return null;
    }
  };
  const stampPath = join(distHarness, BUNDLE_STAMP);
  const stampNs = modified(stampPath);
  const stamp = stampNs === null ? null : readStamp(stampPath);
  if (stampNs === null || stamp === null) return `the container's bundle is missing (${stampPath})`;
  const { sources, outputs } = stamp;
  const listed = (value: unknown): value is string[] => Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string');
  if (!listed(sources) || !listed(outputs)) return `${stampPath} does not list the files the bundle was made from and made`;
  const missing = outputs.find((output) => modified(join(distHarness, output)) === null);
  if (missing) return `the container's bundle is incomplete: ${missing} is missing`;
  for (const source of sources) {
    const sourceNs = modified(join(distHarness, source));
    if (sourceNs === null) return `the container's bundle was made from ${source}, which is gone`;
    if (sourceNs > stampNs) return `the container's bundle is older than ${source}, one of the files it bundles`;
  }
  return null;
}

function readStamp(path: string): { sources?: unknown; outputs?: unknown } | null {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as { sources?: unknown; outputs?: unknown }) : null;
  } catch {
    return null;
  }
}
