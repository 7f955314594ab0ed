import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../http/free-port.js';

/** s3rver's own keys: it checks every request's signature against them. */
export const S3_KEYS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export interface S3Server {
  /** AWS_ENDPOINT_URL for it. */
  endpoint: string;
  /** The objects under `bucket`, by key, as s3rver keeps them on its disk. */
  keys(bucket: string): string[];
  /** Parts of multipart uploads not completed, as s3rver keeps them (it does not implement AbortMultipartUpload, so they stay). */
  uploadedParts(bucket: string): number;
  stop(): Promise<void>;
}

/** An S3-protocol server (s3rver, from npm) in a process of its own, with `buckets` made, on a free port. */
export async function startS3Server(buckets: string[]): Promise<S3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-s3-'));
  const port = await freePort();
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child = spawn(process.execPath, [bin, '-d', directory, '-a', '127.0.0.1', '-p', String(port), '--silent', ...buckets.flatMap((bucket) => ['--configure-bucket', bucket])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    // s3rver keeps an object's bytes in <bucket>/<key>._S3rver_object.
    keys: (bucket) =>
      (fs.readdirSync(path.join(directory, bucket), { recursive: true }) as string[])
        .filter((name) => name.endsWith('._S3rver_object'))
        .map((name) => name.slice(0, -'._S3rver_object'.length))
        .sort(),
    uploadedParts: (bucket) => {
      const uploads = path.join(directory, bucket, '._S3rver_uploads');
      if (!fs.existsSync(uploads)) return 0;
      return (fs.readdirSync(uploads, { recursive: true }) as string[]).filter((name) => /(^|\/)\d+$/.test(name)).length;
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
