// The supervisor-to-worker protocol, carried over the IPC channel between the two processes.
// A type, not an interface: messages must be assignable to execa's JSON message type.
export type PageRange = {
  file_index: number;
  first_page: number;
  last_page: number;
};

export type BatchTrigger = 'count' | 'bytes' | 'wait' | 'end';

export type WorkerMessage =
  /** Figures the worker read itself at the moment it reached the phase, so none of them lags behind it. */
  | { type: 'phase'; name: string; rss_bytes: number; cgroup_usage_bytes: number | null }
  | { type: 'ready' }
  /** read_as: how the worker reads the input: in parts, or whole and why. */
  | { type: 'page-count'; file_index: number; pages: number; read_as?: string }
  /** How the input is read changed mid-run: a part failed to cut or read, and the rest is read whole. */
  | { type: 'read-as'; file_index: number; read_as: string }
  | {
      type: 'batch-start';
      seq: number;
      spans: PageRange[];
      items: number;
      bytes: number;
      trigger: BatchTrigger;
      oversized_item: boolean;
    }
  | {
      type: 'batch-end';
      seq: number;
      status: 'flushed' | 'failed';
      attempts: number;
      error: string | null;
      duration_ms: number;
      rss_mb: number;
    }
  | { type: 'range-done'; range: PageRange; pages: number }
  /** Sent as the worker starts on a page, so a death can be tied to it. */
  | { type: 'page'; file_index: number; page: number }
  /** How far the workload is, in its own unit. */
  | { type: 'progress'; unit: string; done: number; total: number | null }
  | { type: 'input-error'; file_index: number; file: string; message: string }
  | { type: 'retiring'; reason: 'pages' | 'rss'; rss_mb: number };

export type SupervisorMessage = { type: 'range'; range: PageRange } | { type: 'no-more-work' };
