import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { PERMISSIONS, secretKey, signToken } from '../auth/tokens.js';
import { BENCH_SECRET, startGateway } from './gateway-process.js';

const CONNECTIONS = 10;
const ROUNDS = Number(process.env.BENCH_OBSERVABILITY_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 10);

/** What the gateway keeps, from nothing to everything it offers. */
const SETUPS = (otlp: string): [string, Record<string, string>][] => [
  ['all off', { METRICS: 'off', LOG_LEVEL: 'silent' }],
  ['metrics', { METRICS: 'on', LOG_LEVEL: 'silent' }],
  ['metrics + request log', { METRICS: 'on', LOG_LEVEL: 'info' }],
  ['tracing 10 %', { METRICS: 'off', LOG_LEVEL: 'silent', OTEL_EXPORTER_OTLP_ENDPOINT: otlp, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }],
  ['all on, tracing 10 %', { METRICS: 'on', LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: otlp, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }],
];

const QUERIES: [string, string][] = [
  ['{ __typename }', '{ __typename }'],
  ['kpis (month), warm', '{ campaign(id: "5") { kpis(from: "2026-06-01T00:00:00+07:00", to: "2026-07-01T00:00:00+07:00") { dialed answered answerRatePct } } }'],
];

/**
 * Issue 34's overhead figure: requests per second and p50 of `{ __typename }` and a warm kpis (the
 * same arguments every time), autocannon with 10 connections, on a gateway process as npm start runs
 * it (its log going nowhere) with nothing kept, with metrics, with metrics and the request log, with
 * tracing sampled at 10 % (spans sent to a receiver that drops them), and with all of them;
 * each setup three times, in turns (each round starting with another), so the machine's drift falls
 * on all alike.
 */
export async function timeObservabilityOverhead(databaseUrl: string) {
  // An OTLP/HTTP receiver that takes the spans and drops them, as a collector's would cost the gateway.
  const receiver = http.createServer((request, response) => request.resume().on('end', () => response.writeHead(200).end('{}')));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const setups = SETUPS(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`);
  try {
    await timeSetups(databaseUrl, setups);
  } finally {
    receiver.close();
  }
}

async function timeSetups(databaseUrl: string, setups: [string, Record<string, string>][]) {
  const token = await signToken(secretKey(BENCH_SECRET), { sub: 'bench', tenantId: 'bench', permissions: [PERMISSIONS.apiAccess] });
  const results = new Map<string, { perSecond: number[]; p50: number[]; cpu: number[] }>();
  for (let round = 0; round < ROUNDS; round += 1) {
    // Each round starts with another setup, so no setup is always the first after a quiet spell.
    for (const [setup, env] of [...setups.slice(round % setups.length), ...setups.slice(0, round % setups.length)]) {
      const gateway = await startGateway(databaseUrl, env);
      try {
        const url = `${gateway.base}/graphql`;
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
        for (const [name, query] of QUERIES) {
          const body = JSON.stringify({ query });
          await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: 2, workers: 1 });
          const cpuBefore = cpuSeconds(gateway.process.pid!);
          const result = await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: SECONDS, workers: 1 });
          const cpuPerRequest = ((cpuSeconds(gateway.process.pid!) - cpuBefore) / result.requests.total) * 1e6;
          if (result.non2xx > 0 || result.errors > 0) throw new Error(`${setup}, ${name}: ${result.non2xx} answers other than 2xx, ${result.errors} errors`);
          const key = `${setup}|${name}`;
          const entry = results.get(key) ?? { perSecond: [], p50: [], cpu: [] };
          entry.perSecond.push(result.requests.average);
          entry.p50.push(result.latency.p50);
          entry.cpu.push(cpuPerRequest);
          results.set(key, entry);
        }
      } finally {
        await gateway.stop();
      }
    }
  }
  console.log(
    `\nobservability overhead: ${CONNECTIONS} connections × ${SECONDS} s (autocannon), each setup ${ROUNDS} times in turns; ` +
      `req/s and p50 ms (medians), the gateway's CPU µs per request (median), and each as a share of "all off"`,
  );
  for (const [name] of QUERIES) {
    const base = results.get(`all off|${name}`)!;
    for (const [setup] of setups) {
      const { perSecond, p50, cpu } = results.get(`${setup}|${name}`)!;
      const share = (value: number, of: number[]) => `${((value / median(of)) * 100).toFixed(1)} %`.padStart(8);
      console.log(
        `${`${name}, ${setup}`.padEnd(44)} ${Math.round(median(perSecond)).toString().padStart(7)} ${share(median(perSecond), base.perSecond)} ` +
          `${median(p50).toFixed(1).padStart(6)}  ${Math.round(median(cpu)).toString().padStart(6)} µs ${share(median(cpu), base.cpu)}`,
      );
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * CPU seconds (user and system) a process has used, from /proc: what a setup costs per request is
 * its CPU per request, steadier than requests per second on a machine that PostgreSQL, the load
 * generator and the gateway share.
 */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime: the 14th and 15th fields of stat, the 12th and 13th after the command.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Linux's USER_HZ: /proc counts CPU time in hundredths of a second. */
const CLOCK_TICKS = 100;
