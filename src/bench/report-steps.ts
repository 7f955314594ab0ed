import type { Metrics } from '../metrics/registry.js';

/** Seconds spent in one step of the requests counted, summed over them. */
type Sums = Record<Step, number> & { requests: number };
type Step = 'http' | 'graphql' | 'parse' | 'validate' | 'execute' | 'statements';

interface HistogramValues {
  values: { metricName?: string; value: number; labels: Record<string, string | number> }[];
}

/** The sum of a histogram's observations (with `_count`, how many), over the label sets `only` accepts. */
async function histogramSum(histogram: { get(): Promise<HistogramValues> | HistogramValues }, suffix: '_sum' | '_count' = '_sum', only = (_labels: Record<string, string | number>) => true) {
  const { values } = await histogram.get();
  return values.filter((value) => value.metricName?.endsWith(suffix) && only(value.labels)).reduce((sum, value) => sum + value.value, 0);
}

/** GraphQL's requests at the HTTP server: the bench's live ingests are requests too. */
const graphqlRoute = (labels: Record<string, string | number>) => labels.route === '/graphql';

/**
 * Where a report's time goes, read off the gateway's own metrics between two moments: per request,
 * the HTTP answer's time, and within it GraphQL's (parse, validate, execute), and within execution
 * the report statements (their turn and SQL through the driver). What is left of execution is the
 * resolvers: the campaign's lookup, DataLoader's scheduling, building the answer; what is left of
 * HTTP outside GraphQL is the server's (reading the request, the token, writing the answer), which
 * `{ __typename }` pays too.
 */
export function reportSteps(metrics: Metrics) {
  const read = async (): Promise<Sums> => ({
    requests: await histogramSum(metrics.http.duration, '_count', graphqlRoute),
    http: await histogramSum(metrics.http.duration, '_sum', graphqlRoute),
    graphql: await histogramSum(metrics.graphql.duration),
    parse: await histogramSum(metrics.graphql.parse),
    validate: await histogramSum(metrics.graphql.validate),
    execute: await histogramSum(metrics.graphql.execute),
    statements: await histogramSum(metrics.data.statement),
  });
  return {
    read,
    /** The steps of the requests between `before` and now, ms per request, as one line. */
    async since(before: Sums): Promise<string> {
      const after = await read();
      const requests = after.requests - before.requests;
      const ms = (step: Step) => ((after[step] - before[step]) / requests) * 1000;
      const f = (value: number) => value.toFixed(2);
      return (
        `HTTP ${f(ms('http'))}: outside GraphQL ${f(ms('http') - ms('graphql'))}, GraphQL ${f(ms('graphql'))} (parse ${f(ms('parse'))}, ` +
        `validate ${f(ms('validate'))}, execute ${f(ms('execute'))}: report statements ${f(ms('statements'))} ` +
        `(summed: those of one request may overlap), the rest ${f(ms('execute') - ms('statements'))})`
      );
    },
  };
}
