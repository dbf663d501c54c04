// The worker's end of the IPC channel, on Node's own process.send: a worker starts many times in a run, and
// loading a process library for two calls would cost every start.
import type { SupervisorMessage, WorkerMessage } from '../common/worker-messages.js';

const inbox: SupervisorMessage[] = [];
const waiting: Array<{ resolve: (message: SupervisorMessage) => void; reject: (error: Error) => void }> = [];
let closed = false;

function onMessage(message: unknown): void {
  const waiter = waiting.shift();
  if (waiter) waiter.resolve(message as SupervisorMessage);
  else inbox.push(message as SupervisorMessage);
}

function onDisconnect(): void {
  closed = true;
  for (const waiter of waiting.splice(0)) waiter.reject(new Error('the supervisor closed the IPC channel'));
}

/** Starts listening: messages that arrive before anyone waits for them are kept in order. */
export function listen(): void {
  process.on('message', onMessage);
  process.on('disconnect', onDisconnect);
}

export function sendMessage(message: WorkerMessage): Promise<void> {
  const send = process.send?.bind(process);
  if (!send || !process.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    send(message, undefined, undefined, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

export function receiveMessage(): Promise<SupervisorMessage> {
  const queued = inbox.shift();
  if (queued) return Promise.resolve(queued);
  if (closed || !process.connected) return Promise.reject(new Error('the supervisor closed the IPC channel'));
  return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
}

/** Lets the process end once its work is done: the open channel would otherwise keep it alive. */
export function close(): void {
  process.off('message', onMessage);
  process.disconnect?.();
}
