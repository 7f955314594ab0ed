import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import { currentStatus, exportFileName } from './jobs.js';
import { verifyDownload } from './signing.js';

const DOWNLOAD_PATH = /^\/exports\/(export_[0-9a-f]{8})\/download$/;

const CONTENT_TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv; charset=utf-8',
  '.zip': 'application/zip',
};

/**
 * GET /exports/<job id>/download?expires=…&signature=… streams a ready export. Anything wrong with
 * the link (tampered, truncated, expired, another job's) gets the same bare 403, never the file.
 */
export function useExportDownloads(db: Database, key: Uint8Array): Plugin {
  return {
    async onRequest({ url, request, endResponse }) {
      const match = DOWNLOAD_PATH.exec(url.pathname);
      if (!match || request.method !== 'GET') return;
      const jobId = match[1]!;
      const forbidden = () => endResponse(new Response('Forbidden', { status: 403 }));
      if (!verifyDownload(key, jobId, url.searchParams.get('expires'), url.searchParams.get('signature'))) return forbidden();
      const job = await db.prisma.exportJob.findUnique({ where: { id: jobId }, include: { campaign: true } });
      if (!job?.filePath || currentStatus(job) !== 'ready' || !fs.existsSync(job.filePath)) return forbidden();
      const extension = job.filePath.slice(job.filePath.lastIndexOf('.'));
      endResponse(
        new Response(Readable.toWeb(fs.createReadStream(job.filePath)) as ReadableStream, {
          headers: {
            'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
            'content-length': String(job.fileSize ?? fs.statSync(job.filePath).size),
            'content-disposition': `attachment; filename="${exportFileName(job, job.campaign)}"`,
            'cache-control': 'private, no-store',
          },
        }),
      );
    },
  };
}
