import type { Writable } from 'node:stream';
import type { ExportStorageConfig } from '../config.js';
import { LocalExportStore } from './local-store.js';
import { S3ExportStore } from './s3-store.js';

/** A file being written into the store. */
export interface StoredFileUpload {
  /** Where the file will be, as export_job.file_path keeps it. */
  location: string;
  /** The file's bytes go here; the writer ends it. */
  stream: Writable;
  /** Resolves with the file's size once every byte is stored; rejects if storing failed. */
  done(): Promise<number>;
  /** Gives up a file not done (canceled, failed): nothing of it remains. */
  abort(): Promise<void>;
}

/** What a download answers with, besides the bytes. */
export interface DownloadHeaders {
  contentType: string;
  /** The attachment's file name, as the Content-Disposition gives it. */
  fileName: string;
  size: number | null;
}

/**
 * Where export files live: a directory of this machine (the default) or an S3-compatible bucket,
 * which every instance of a fleet reads and writes alike.
 */
export interface ExportStore {
  create(name: string): StoredFileUpload;
  /** The answer to a verified download link: the bytes or a redirect to them; undefined when the file is gone. */
  download(location: string, headers: DownloadHeaders): Promise<Response | undefined>;
  /** Deletes the file; a file already gone is no error. */
  remove(location: string): Promise<void>;
  /** The names of the files held, and where each is, for the sweep. */
  list(): Promise<{ name: string; location: string }[]>;
}

/** The store EXPORT_STORAGE_URL names (a directory under DATA_DIR without it). */
export function createExportStore(config: ExportStorageConfig): ExportStore {
  return config.kind === 'local' ? new LocalExportStore(config.dir) : new S3ExportStore(config);
}
