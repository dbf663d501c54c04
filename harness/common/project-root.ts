import { fileURLToPath } from 'node:url';

/** The package root: this file is dist/harness/common/project-root.js. */
export function projectRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}
