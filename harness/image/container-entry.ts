// Where the container's entry point is: the supervisor as bundled by npm run build (scripts/bundle-cli.ts), under
// dist/harness, which the runtime image carries to /opt/oom-harness/dist/harness.
export const CONTAINER_ENTRY_DIR = 'container';

/** The supervisor's entry, relative to the project (or /opt/oom-harness in the image). */
export const SUPERVISOR_ENTRY = `dist/harness/${CONTAINER_ENTRY_DIR}/supervisor/main.js`;
