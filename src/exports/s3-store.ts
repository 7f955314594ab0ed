import { PassThrough, Transform } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3StorageConfig } from '../config.js';
import type { DownloadHeaders, ExportStore, StoredFileUpload } from './store.js';

/** How long the presigned GET a download link redirects to stays valid: long enough to start the transfer. */
export const PRESIGNED_SECONDS = 60;
/** Multipart parts of 5 MB (S3's smallest), one in flight: an upload holds about 10 MB whatever the file's size. */
const PART_BYTES = 5 * 1024 * 1024;

/** The AWS SDK, loaded with the first S3 store: a gateway that keeps its files on disk never pays for it. */
const sdk = () =>
  Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage'), import('@aws-sdk/s3-request-presigner')]).then(
    ([s3, storage, presigner]) => ({ ...s3, ...storage, ...presigner }),
  );

/**
 * Export files in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Ceph), under a prefix:
 * written by a streamed multipart upload, served by a redirect to a short-lived presigned GET, so
 * any instance serves any file and no bytes pass through the gateway.
 */
export class S3ExportStore implements ExportStore {
  readonly #parts = sdk().then((loaded) => ({
    ...loaded,
    client: new loaded.S3Client({
      // The SDK reads AWS_REGION, the keys and AWS_ENDPOINT_URL itself; a region is required, and a
      // server of one's own (an endpoint) is addressed by path, which MinIO and s3rver need.
      region: this.config.region,
      forcePathStyle: this.config.forcePathStyle,
    }) as S3Client,
  }));

  constructor(private readonly config: S3StorageConfig) {}

  /** `s3://bucket/prefix/name`, as export_job.file_path keeps it. */
  #location(name: string) {
    return `s3://${this.config.bucket}/${this.config.prefix}${name}`;
  }

  #key(location: string) {
    const prefix = `s3://${this.config.bucket}/`;
    if (!location.startsWith(prefix)) throw new Error(`${location} is not in the bucket ${this.config.bucket}`);
    return location.slice(prefix.length);
  }

  create(name: string): StoredFileUpload {
    const location = this.#location(name);
    const Key = this.#key(location);
    let size = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const stream = new PassThrough();
    stream.pipe(counted);
    stream.once('error', (error) => counted.destroy(error));
    const uploaded = this.#parts.then(async ({ client, Upload }) => {
      const upload = new Upload({ client, params: { Bucket: this.config.bucket, Key, Body: counted }, partSize: PART_BYTES, queueSize: 1 });
      await upload.done();
      return size;
    });
    // A failed upload stops the writer at its next write, rather than leaving it waiting for a drain.
    uploaded.catch((error: unknown) => stream.destroy(error as Error));
    return {
      location,
      stream,
      done: () => uploaded,
      abort: async () => {
        // An error in the body ends the upload the way a failure does: the multipart upload is
        // aborted (its parts deleted) before done() settles; a file already complete is deleted.
        stream.destroy(new Error('export file given up'));
        if (await uploaded.then(() => true, () => false)) await this.remove(location);
      },
    };
  }

  async download(location: string, { contentType, fileName }: DownloadHeaders): Promise<Response | undefined> {
    const { client, HeadObjectCommand, GetObjectCommand, getSignedUrl } = await this.#parts;
    const target = { Bucket: this.config.bucket, Key: this.#key(location) };
    const present = await client.send(new HeadObjectCommand(target)).then(
      () => true,
      (error: { name?: string }) => {
        if (error.name === 'NotFound' || error.name === 'NoSuchKey') return false;
        throw error;
      },
    );
    if (!present) return undefined;
    const url = await getSignedUrl(
      client,
      new GetObjectCommand({ ...target, ResponseContentType: contentType, ResponseContentDisposition: `attachment; filename="${fileName}"` }),
      { expiresIn: PRESIGNED_SECONDS },
    );
    return new Response(null, { status: 302, headers: { location: url, 'cache-control': 'private, no-store' } });
  }

  async remove(location: string): Promise<void> {
    const { client, DeleteObjectCommand } = await this.#parts;
    await client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.#key(location) }));
  }

  async list(): Promise<{ name: string; location: string }[]> {
    const { client, paginateListObjectsV2 } = await this.#parts;
    const held: { name: string; location: string }[] = [];
    for await (const page of paginateListObjectsV2({ client }, { Bucket: this.config.bucket, Prefix: this.config.prefix })) {
      for (const { Key } of page.Contents ?? []) {
        const name = Key!.slice(this.config.prefix.length);
        if (!name.includes('/')) held.push({ name, location: `s3://${this.config.bucket}/${Key}` });
      }
    }
    return held;
  }
}
