import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs the real `clientele` command (bin/clientele.mjs) as a child process, always bounded by a timeout. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(projectRoot, 'bin/clientele.mjs');

export type CliResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** The child's environment: this process's, minus anything that would point it at another database. */
export function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, DATA_DIR: _dir, PORT: _port, ...inherited } = process.env;
  return { ...inherited, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env };
}

export function runCli(args: string[], env: Record<string, string>, timeoutMs = 45_000, input?: string): Promise<CliResult> {
  return runNode([bin, ...args], env, timeoutMs, input);
}

export function runNode(args: string[], env: Record<string, string>, timeoutMs: number, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: projectRoot, env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not finish within ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** A long-running `clientele …` process (serve) whose output is collected while it runs. */
export type RunningCli = {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in stdout, or rejects after `timeoutMs` or when the process exits. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export function startCli(args: string[], env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [bin, ...args], { cwd: projectRoot, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    notify();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      notify();
    });
  });
  return {
    child,
    output: () => `stdout:\n${stdout}\nstderr:\n${stderr}`,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match) return done(() => resolve(match));
          if (child.exitCode !== null || child.signalCode !== null) {
            return done(() => reject(new Error(`The process exited before printing ${pattern}.\n${stdout}\n${stderr}`)));
          }
        };
        const timer = setTimeout(() => done(() => reject(new Error(`No ${pattern} within ${timeoutMs} ms.\n${stdout}\n${stderr}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Sends SIGKILL if the process still runs, and waits until it is gone. */
export async function killCli(running: RunningCli | undefined): Promise<void> {
  if (!running) return;
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
  await running.exited;
}
