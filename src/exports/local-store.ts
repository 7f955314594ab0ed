import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { DownloadHeaders, ExportStore, StoredFileUpload } from './store.js';

/** Export files in a directory of this machine: only the instance that wrote one can serve it. */
export class LocalExportStore implements ExportStore {
  constructor(private readonly dir: string) {}

  create(name: string): StoredFileUpload {
    fs.mkdirSync(this.dir, { recursive: true });
    const location = path.join(this.dir, name);
    const stream = fs.createWriteStream(location);
    return {
      location,
      stream,
      done: async () => {
        await finished(stream);
        return stream.bytesWritten;
      },
      abort: async () => {
        stream.destroy();
        await fs.promises.rm(location, { force: true });
      },
    };
  }

  async download(location: string, { contentType, fileName, size }: DownloadHeaders): Promise<Response | undefined> {
    const stat = await fs.promises.stat(location).catch(() => undefined);
    if (!stat?.isFile()) return undefined;
    return new Response(Readable.toWeb(fs.createReadStream(location)) as ReadableStream, {
      headers: {
        'content-type': contentType,
        'content-length': String(size ?? stat.size),
        'content-disposition': `attachment; filename="${fileName}"`,
        'cache-control': 'private, no-store',
      },
    });
  }

  remove(location: string): Promise<void> {
    return fs.promises.rm(location, { force: true });
  }

  async list(): Promise<{ name: string; location: string }[]> {
    const names = await fs.promises.readdir(this.dir).catch(() => [] as string[]);
    return names.map((name) => ({ name, location: path.join(this.dir, name) }));
  }
}
