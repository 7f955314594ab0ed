import { createPubSub } from 'graphql-yoga';
import type { ExportJob } from '../exports/jobs.js';

/** Every topic the gateway publishes, scoped by id; publish only after the write has committed. */
export type Topics = {
  exportJob: [jobId: string, job: ExportJob];
};

export const createTopics = () => createPubSub<Topics>();
export type PubSub = ReturnType<typeof createTopics>;
