import type { Queue, Worker } from 'bullmq';

/** The W3C trace context of the request that made a job, carried with it (see tracing.ts). */
export type TraceCarrier = Record<string, string>;

/** Runs one job: its id, and the trace context of the request that made it. */
export type RunJob = (jobId: string, trace?: TraceCarrier) => Promise<void>;

/** Hands export job ids to whichever instance will run them. */
export interface JobQueue {
  add(jobId: string, trace?: TraceCarrier): Promise<void>;
  /** Resolves when no job is waiting or running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Without Redis: this process runs its own jobs, one after another. */
export class InProcessQueue implements JobQueue {
  private readonly jobs: { jobId: string; trace?: TraceCarrier }[] = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly run: RunJob) {}

  async add(jobId: string, trace?: TraceCarrier): Promise<void> {
    if (this.jobs.some((job) => job.jobId === jobId)) return;
    this.jobs.push({ jobId, trace });
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Forgets the jobs still waiting (they stay QUEUED in the database) and waits for the running one. */
  async close(): Promise<void> {
    this.jobs.length = 0;
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (let job = this.jobs.shift(); job; job = this.jobs.shift()) await this.run(job.jobId, job.trace);
  }
}

/**
 * Without Redis, in a process that runs no jobs (EXPORT_WORKERS=0): a job stays QUEUED in PostgreSQL,
 * where the worker processes, polling, find it.
 */
export class HeldQueue implements JobQueue {
  async add(): Promise<void> {}
  async idle(): Promise<void> {}
  async close(): Promise<void> {}
}

/** The queue of a process that runs `workers` jobs at once (0: none), shared through Redis when there is one. */
export function jobQueueFor(redisUrl: string | undefined, namespace: string, workers: number) {
  return (run: RunJob): JobQueue => {
    if (redisUrl) return new RedisQueue(redisUrl, run, { concurrency: workers, name: `${namespace}-exports` });
    return workers > 0 ? new InProcessQueue(run) : new HeldQueue();
  };
}

/**
 * With Redis: a BullMQ queue shared by every gateway instance, so a job created on one instance may
 * run on another. The BullMQ job id is the export job id, so adding a job twice runs it once.
 */
export class RedisQueue implements JobQueue {
  /** bullmq is loaded when a queue is made, so a gateway without Redis never pays its memory. */
  private readonly parts: Promise<{ queue: Queue; worker: Worker | undefined }>;
  private readonly running = new Set<Promise<void>>();

  /** `concurrency`: jobs this process runs at once; 0: it only adds jobs, for other processes to run. */
  constructor(redisUrl: string, run: RunJob, { concurrency = 1, name = 'autocall-exports' } = {}) {
    const connection = { url: redisUrl, maxRetriesPerRequest: null };
    this.parts = import('bullmq').then(({ Queue, Worker }) => ({
      queue: new Queue(name, { connection }),
      worker:
        concurrency > 0
          ? new Worker(
              name,
              async (job) => {
                const done = run(job.data.jobId as string, job.data.trace as TraceCarrier | undefined);
                this.running.add(done);
                try {
                  await done;
                } finally {
                  this.running.delete(done);
                }
              },
              { connection, concurrency },
            )
          : undefined,
    }));
  }

  async add(jobId: string, trace?: TraceCarrier): Promise<void> {
    const { queue } = await this.parts;
    await queue.add('export', { jobId, trace }, { jobId, removeOnComplete: true, removeOnFail: true });
  }

  async idle(): Promise<void> {
    const { queue } = await this.parts;
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((count) => count === 0) && this.running.size === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    const { queue, worker } = await this.parts;
    await worker?.close();
    await queue.close();
  }
}
