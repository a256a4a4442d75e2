import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { batchesInFileOrder } from './pipeline.ts';
import { ImportFileError } from './read.ts';
import type { FromThread, ThreadStart, ToThread } from './validation-thread.ts';

/** The validation thread (see validation-thread.ts): reads through the main thread, sends batches back; the main thread ends it. */

const port = parentPort!;
const start = workerData as ThreadStart;
const send = (message: FromThread) => port.postMessage(message);

let credits = 0;
let wake: (() => void) | undefined;
// Up to 1 MB of the file waits here, so parsing goes on while the main thread is busy.
const file = new Readable({ highWaterMark: 1024 * 1024, read: () => send({ type: 'read' }) });

port.on('message', (message: ToThread) => {
  if (message.type === 'chunk') file.push(message.chunk);
  else if (message.type === 'end') file.push(null);
  else {
    credits++;
    wake?.();
  }
});

try {
  for await (const batch of batchesInFileOrder({ ...start.input, file }, start.options)) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    send({ type: 'batch', batch });
  }
  send({ type: 'done' });
} catch (error) {
  send(error instanceof ImportFileError ? { type: 'file-error', code: error.code, message: error.message, params: error.params } : { type: 'error', message: error instanceof Error ? error.message : String(error) });
}
