import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** A real `clientele serve` or `clientele worker` process for a benchmark, with what it printed. */
export type ClienteleProcess = { child: ChildProcess; output: () => string };

/** Starts `bin/clientele.mjs <command>` and resolves once its stdout matches `ready`. */
export function startClientele(command: 'serve' | 'worker', env: Record<string, string>, ready: RegExp): Promise<ClienteleProcess> {
  const child = spawn(process.execPath, ['bin/clientele.mjs', command], {
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`clientele ${command} did not start within 60 s: ${stderr}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (ready.test(stdout)) {
        clearTimeout(timer);
        resolve({ child, output: () => stdout });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`clientele ${command} exited with code ${code}: ${stderr}`));
    });
  });
}

/** The process's peak resident memory so far (VmHWM), in MB. */
export async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** SIGTERM, as an operator stops it; SIGKILL if it has not exited after `graceMs`. */
export async function stopClientele(process: ClienteleProcess, graceMs = 30_000): Promise<void> {
  const { child } = process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
