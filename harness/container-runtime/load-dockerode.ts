// dockerode, loaded without the parts a run never uses until it does. dockerode requires its BuildKit session
// (gRPC, protobuf, uuid) and docker-modem its ssh transport (ssh2) when they load, though neither is touched until a
// BuildKit build or an ssh:// engine: about 70 of the 110 files and 0.2 s of every command's start. While dockerode
// loads, those two requires return a stand-in that loads the real module the first time it is called, constructed
// or read; everything else loads as usual, and the hook is gone once dockerode has loaded.
import Module, { createRequire } from 'node:module';
import type DockerModule from 'dockerode';

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;

/** Which require, from which of dockerode's files, may wait until it is used. */
export const DEFERRED_REQUIRES: ReadonlyArray<{ parent: RegExp; request: string }> = [
  { parent: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, request: './session' },
  { parent: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, request: './ssh' },
];

/**
 * A stand-in for a module that loads it on first use: calling, constructing or reading it gives what the real module
 * gives. The target is a plain function so that both calls and `new` reach the traps.
 */
export function deferredModule(load: () => unknown): unknown {
  let loaded = false;
  let real: unknown;
  const target = (): object => {
    if (!loaded) {
      real = load();
      loaded = true;
    }
    return real as object;
  };
  return new Proxy(function deferred() {}, {
    apply: (_target, thisArg, args) => Reflect.apply(target() as (...a: unknown[]) => unknown, thisArg, args),
    construct: (_target, args) => Reflect.construct(target() as new (...a: unknown[]) => object, args),
    get: (_target, key) => Reflect.get(target(), key),
    has: (_target, key) => Reflect.has(target(), key),
  });
}

let cached: typeof DockerModule | null = null;

/** The dockerode constructor, loaded once. */
export function loadDockerode(): typeof DockerModule {
  if (cached) return cached;
  const hooked = Module as unknown as { _load: Load };
  const original = hooked._load;
  hooked._load = function load(this: unknown, request, parent, isMain) {
    const filename = parent?.filename ?? '';
    if (DEFERRED_REQUIRES.some((rule) => rule.request === request && rule.parent.test(filename))) {
      return deferredModule(() => original.call(this, request, parent, isMain));
    }
    return original.call(this, request, parent, isMain);
  };
  try {
    cached = createRequire(import.meta.url)('dockerode') as typeof DockerModule;
  } finally {
    hooked._load = original;
  }
  return cached;
}
