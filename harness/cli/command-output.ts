// The user's command's output, live on the terminal: whole lines, each prefixed and with its control characters
// escaped (the command is not ours to trust with the terminal).
import { printable } from '../common/terminal-text.js';

const PREFIX = '  | ';

export function commandOutputPrinter(write: (text: string) => void): { print: (chunk: Buffer, stream: 'stdout' | 'stderr') => void; flush: () => void } {
  const partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  const emit = (line: string) => write(`${PREFIX}${printable(line)}\n`);
  return {
    print: (chunk, stream) => {
      const lines = (partial[stream] + chunk.toString('utf8')).split('\n');
      partial[stream] = lines.pop() ?? '';
      for (const line of lines) emit(line);
    },
    flush: () => {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (partial[stream]) emit(partial[stream]);
        partial[stream] = '';
      }
    },
  };
}
