// What writing the bundle needs, made ready while the run goes on so that its end does not wait for it: the bundle's
// modules and node-tar, the host's GPUs (nvidia-smi), and the kernel log read up to then. Started a second into the
// run: off the path to the first sample, before any longer run needs it; a shorter run bundles without it.
type BundleModule = typeof import('../bundle/write-bundle.js');
export type PreloadedBundle = { bundle: BundleModule } & ReturnType<BundleModule['preloadBundle']>;

const PRELOAD_DELAY_MS = 1000;

export class BundlePreload {
  #preloaded: Promise<PreloadedBundle | null> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  /** Preloads a second from now, once. */
  schedule(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setTimeout(() => {
      if (!this.#stopped) this.#preloaded ??= preload();
    }, PRELOAD_DELAY_MS).unref();
  }

  /** What was preloaded, for the one bundle; null when nothing was (or loading failed: writing the bundle says why). */
  async take(): Promise<PreloadedBundle | null> {
    this.#stop();
    const preloaded = await this.#preloaded;
    this.#preloaded = null;
    return preloaded;
  }

  /** Releases what was opened for a bundle never written (the kernel log). */
  dispose(): void {
    this.#stop();
    void this.#preloaded?.then((preloaded) => preloaded?.kernelLog?.close());
    this.#preloaded = null;
  }

  /** No preload after this: a run shorter than the delay has its bundle written without one. */
  #stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }
}

function preload(): Promise<PreloadedBundle | null> {
  return import('../bundle/write-bundle.js').then(
    (bundle) => ({ bundle, ...bundle.preloadBundle() }),
    () => null,
  );
}
