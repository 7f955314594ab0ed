import { spawn, type ChildProcess } from 'node:child_process';

export interface Started {
  process: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * `node --import tsx <script>` with `env` added to this process's, started from the repository's
 * root; resolves once it prints a line matching `ready`. `privateDir`: the process sees an empty
 * tmpfs of its own at that path (a mount namespace of its own, as on a machine of its own), so two
 * processes given the same DATA_DIR share no file.
 */
export async function startScript(script: string, env: Record<string, string>, { ready, privateDir }: { ready: RegExp; privateDir?: string }): Promise<Started> {
  const node = [process.execPath, '--import', 'tsx', script];
  const child = privateDir
    ? spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs tmpfs "$0" && exec "$@"', privateDir, ...node], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(node[0]!, node.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const check = () => ready.test(output) && resolve();
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready:\n${output}`)));
  });
  return {
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The base URL a gateway started with PORT=0 printed. */
export const gatewayBase = (started: Started) => /gateway on (http:\/\/localhost:\d+)\/graphql/.exec(started.output())![1]!.replace('localhost', '127.0.0.1');
