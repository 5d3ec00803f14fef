/**
 * A `codex-flow worker` child process for the queue tests (the bundled worker-main.ts), resolved
 * once it says it takes jobs; a worker that exits first, or says nothing for 45 s, fails the start.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface WorkerProcess {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function startWorkerProcess(bundle: string, root: string, args: string[], env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [bundle, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start: ${stderr}`)), 45_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(' at once per alias')) {
        clearTimeout(timer);
        resolve({ child, stderr: () => stderr, exited });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited ${code}: ${stderr}`));
    });
  });
}
