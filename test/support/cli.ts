import { spawn } from 'node:child_process';
import path from 'node:path';

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the project's commands (`src/…/cli.ts`) as npm runs it (tsx), with `env` over the test's own. */
export function runCli(script: string, args: string[], env: Record<string, string>): Promise<CommandRun> {
  return new Promise((resolve) => {
    const child = spawn(path.resolve('node_modules/.bin/tsx'), [script, ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
