import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import { currentStatus, exportFileName } from './jobs.js';
import { verifyDownload } from './signing.js';
import type { ExportStore } from './store.js';

const DOWNLOAD_PATH = /^\/exports\/(export_[0-9a-f]{8})\/download$/;

const CONTENT_TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv; charset=utf-8',
  '.zip': 'application/zip',
};

/**
 * GET /exports/<job id>/download?expires=…&signature=… answers with a ready export: its bytes from a
 * local directory, or a 302 to a short-lived presigned GET of its object in a bucket. Anything wrong
 * with the link (tampered, truncated, expired, another job's) gets the same bare 403, never the file.
 */
export function useExportDownloads(db: Database, store: ExportStore, key: Uint8Array): Plugin {
  return {
    async onRequest({ url, request, endResponse }) {
      const match = DOWNLOAD_PATH.exec(url.pathname);
      if (!match || request.method !== 'GET') return;
      const jobId = match[1]!;
      const forbidden = () => endResponse(new Response('Forbidden', { status: 403 }));
      if (!verifyDownload(key, jobId, url.searchParams.get('expires'), url.searchParams.get('signature'))) return forbidden();
      const job = await db.prisma.exportJob.findUnique({ where: { id: jobId }, include: { campaign: true } });
      if (!job?.filePath || currentStatus(job) !== 'ready') return forbidden();
      const extension = job.filePath.slice(job.filePath.lastIndexOf('.'));
      const answer = await store.download(job.filePath, {
        contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
        fileName: exportFileName(job, job.campaign),
        size: job.fileSize,
      });
      endResponse(answer ?? new Response('Forbidden', { status: 403 }));
    },
  };
}
