// Where things are inside the container: the paths run-config.json's protocol relies on, apart from its schema so
// that the supervisor knows them before it loads anything else.

/** Where the run config is mounted, read-only, inside the container. */
export const CONTAINER_CONFIG_PATH = '/etc/oom-harness/run-config.json';
/** The container's one writable directory (the run directory's container/ on the host). */
export const CONTAINER_OUT_DIR = '/out';
export const CONTAINER_INPUT_DIR = '/input';
