import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { PipelineInput, ValidatedRow } from './pipeline.ts';
import { ImportFileError, openSource, type ImportFileErrorCode } from './read.ts';

/**
 * The front half of the pipeline (read, map, validate, find duplicates) on a thread of its own,
 * for large CSV files: Node's share of an import is mostly this work, and on the main thread
 * it had to take turns with planning and writing, so one core sat idle while the other worked
 * (docs/benchmarks.md). The main thread reads the file (from the local directory or S3, as
 * before) and hands its bytes over as the thread asks for them; the thread sends validated
 * batches back, one ahead of the batch being written, so memory stays at a few batches.
 */

/** What the thread is started with: the pipeline input without its file, which it reads from the main thread. */
export type ThreadStart = { input: Omit<PipelineInput, 'file'>; options: { afterRow?: number; batchSize: number } };

/** Main thread → validation thread. */
export type ToThread = { type: 'chunk'; chunk: Uint8Array } | { type: 'end' } | { type: 'next' };

/** Validation thread → main thread. */
export type FromThread =
  | { type: 'read' }
  | { type: 'batch'; batch: ValidatedRow[] }
  | { type: 'done' }
  | { type: 'file-error'; code: ImportFileErrorCode; message: string; params: Record<string, string | number> }
  | { type: 'error'; message: string };

type Event = FromThread | { type: 'failed'; error: Error };

// From the bundle (bin/clientele.mjs builds `validation-worker.js` beside the chunks) the thread
// runs the built file. From source (tests, benches) it registers tsx first: a worker does not
// inherit the main thread's loader, and ignores `--import` in its execArgv.
const fromSource = import.meta.url.endsWith('.ts');

function startThread(workerData: ThreadStart): Worker {
  // V8 would let the thread's young generation grow to 32 MB; 6 MB keeps it near the main
  // thread's and costs no speed that the import benchmark can see.
  const options = { workerData, resourceLimits: { maxYoungGenerationSizeMb: 6 } };
  const worker = fromSource
    ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./validation-worker.ts', import.meta.url).href)}); });`, { ...options, eval: true })
    : new Worker(new URL('./validation-worker.js', import.meta.url), options);
  // A starting thread resets the heap sizing the launcher gave this one (bin/clientele.mjs):
  // without this, the main thread's young generation grew from 2 to 32 MB.
  worker.once('online', () => {
    for (const flag of (process.env.CLIENTELE_HEAP_FLAGS ?? '').split(' ').filter(Boolean)) v8.setFlagsFromString(flag);
  });
  return worker;
}

export async function* validatedBatchesInThread(input: PipelineInput, options: ThreadStart['options']): AsyncGenerator<ValidatedRow[]> {
  const { file, ...rest } = input;
  const source = openSource(file);
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let worker: Worker;
  try {
    worker = startThread({ input: rest, options });
  } catch (error) {
    source.destroy();
    throw error;
  }

  // Messages wait here until the generator asks; a read request is answered at once, even while
  // the caller is busy with a batch, so the thread always has bytes to parse.
  const events: Event[] = [];
  let wake: (() => void) | undefined;
  const push = (event: Event) => {
    events.push(event);
    wake?.();
  };
  const send = (message: ToThread) => worker.postMessage(message);
  const serveRead = async () => {
    try {
      const next = await chunks.next();
      send(next.done ? { type: 'end' } : { type: 'chunk', chunk: next.value });
    } catch (error) {
      push({ type: 'failed', error: error as Error });
    }
  };
  worker.on('message', (message: FromThread) => (message.type === 'read' ? void serveRead() : push(message)));
  worker.on('error', (error) => push({ type: 'failed', error }));
  worker.on('exit', (code) => push({ type: 'failed', error: new Error(`The validation thread stopped (exit code ${code}).`) }));

  try {
    send({ type: 'next' });
    for (;;) {
      while (events.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const event = events.shift()!;
      if (event.type === 'batch') {
        // The next batch is made while the caller writes this one.
        send({ type: 'next' });
        yield event.batch;
      } else if (event.type === 'done') return;
      else if (event.type === 'file-error') throw new ImportFileError(event.code, event.message, event.params);
      else if (event.type === 'error') throw new Error(event.message);
      else if (event.type === 'failed') throw event.error;
    }
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
    source.destroy();
  }
}
