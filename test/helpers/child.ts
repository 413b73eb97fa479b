import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface Child {
  process: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; seconds: number; stderr: string }>;
  /** Resolves when the child prints `line` on its standard output. */
  printed(line: string, timeoutMs?: number): Promise<void>;
  /** What it has printed on its standard output so far. */
  stdout(): string;
}

/** Runs a TypeScript entry point of the project in a child process with exactly `env` (and PATH). */
export function runScript(script: string, env: Record<string, string>, args: string[] = []): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const started = Date.now();
  const exit = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    seconds: (Date.now() - started) / 1000,
    stderr,
  }));
  return {
    process: child,
    exit,
    stdout: () => stdout,
    async printed(line, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!stdout.split('\n').includes(line)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`child did not print "${line}"; stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
