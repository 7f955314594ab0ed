import { performance } from 'node:perf_hooks';
import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import type { Campaign, PrismaClient } from '../db/generated/prisma/client.js';
import type { Database } from '../db/client.js';
import * as queries from './report-queries.js';
import type { CampaignWindow, ReportSource } from './report-queries.js';
import type { StatementKind, WorkMeter } from '../fair-share/cost-model.js';
import type { TenantQueue } from '../fair-share/tenant-queue.js';
import { inSpan, records } from '../tracing/tracing.js';

/** Where a request's report statements take their turns and count their work; an export's have neither. */
export interface Metering {
  queue?: TenantQueue;
  work?: WorkMeter;
  /** Told each statement's kind, windows and time, its turn included (metrics). */
  observe?: (kind: StatementKind, windows: number, seconds: number) => void;
  /** The trace context its statements' spans hang under, as it is when each runs (see graphql-spans.ts). */
  trace?: () => Context;
}

/** What the report queries run their statements on (see Database.reportRows). */
type ReportDb = Pick<PrismaClient, '$queryRawUnsafe'>;

type WindowQuery<T> = (db: ReportDb, windows: readonly CampaignWindow[], source: ReportSource) => Promise<T[]>;

/** The tenant's campaigns among `ids`, with Prisma's field names (the Campaign model's columns, one by one). */
const CAMPAIGNS_BY_ID = `SELECT id, tenant_id AS "tenantId", name, started_at AS "startedAt", dtmf_actions AS "dtmfActions", data_updated_at AS "dataUpdatedAt",
    calls_removed_first AS "callsRemovedFirst", calls_removed_last AS "callsRemovedLast", calls_removed_before AS "callsRemovedBefore"
  FROM campaign WHERE id = ANY($1::int[]) AND tenant_id = $2`;

/** A trend's steps are fixed by its window and zone and their size, which their number tells apart. */
const windowKey = (window: CampaignWindow) =>
  JSON.stringify([window.campaignId, window.from.toISOString(), window.to.toISOString(), window.zone, window.digits, window.steps?.length]);

/**
 * Per-request loaders: built by the context factory, so nothing is cached across requests. Each
 * report kind costs one statement per tick, however many campaigns and windows were asked for.
 * A loader is made when first used: a request makes only those it needs, and an idle subscription
 * (thousands of them may share one computation) none.
 */
export class Loaders {
  readonly #made: Record<string, unknown> = {};
  /** Where this reading's statements go (a replica that is up to date, or the primary), chosen at its first. */
  #readsFrom?: Promise<Database>;

  constructor(
    private readonly db: Database,
    private readonly tenantId: string,
    private readonly source: ReportSource = 'rollups',
    private readonly metering: Metering = {},
  ) {}

  /** The reader's statements, each in a span of its own under `parent`: its text with placeholders, never the values. */
  async #statements(parent: Context): Promise<ReportDb> {
    const reader = await (this.#readsFrom ??= this.db.reader());
    const run = records(parent)
      ? (sql: string, ...params: unknown[]) => inSpan('db query', { 'db.system.name': 'postgresql', 'db.query.text': sql }, () => reader.reportRows(sql, params), { parent })
      : (sql: string, ...params: unknown[]) => reader.reportRows(sql, params);
    return { $queryRawUnsafe: run } as ReportDb;
  }

  #trace(): Context {
    return this.metering.trace?.() ?? ROOT_CONTEXT;
  }

  #once<T>(name: string, make: () => T): T {
    return (this.#made[name] ??= make()) as T;
  }

  #windowLoader<T>(name: StatementKind, query: WindowQuery<T>): DataLoader<CampaignWindow, T, string> {
    return this.#once(
      name,
      () =>
        new DataLoader<CampaignWindow, T, string>((windows) => this.#metered(name, windows, async (statement) => query(await this.#statements(statement), windows, this.source)), {
          cacheKeyFn: windowKey,
        }),
    );
  }

  /** A report statement, run at the tenant's turn and counted: its windows, and the rows of its answers. */
  async #metered<T>(kind: StatementKind, windows: readonly CampaignWindow[], run: (statement: Context) => Promise<T[]>): Promise<T[]> {
    const { queue, work, observe } = this.metering;
    const started = performance.now();
    const answers = await inSpan(
      `report statement ${kind}`,
      { 'db.system.name': 'postgresql', 'autocall.windows': windows.length },
      (statement) => (queue ? queue.run(this.tenantId, () => run(statement)) : run(statement)),
      { parent: this.#trace() },
    );
    observe?.(kind, windows.length, (performance.now() - started) / 1000);
    work?.statement(kind, windows, answers.reduce((rows, answer) => rows + (Array.isArray(answer) ? answer.length : 1), 0));
    return answers;
  }

  /** The tenant's campaigns by id; another tenant's id loads as null, like a missing one. */
  get campaign(): DataLoader<number, Campaign | null> {
    return this.#once('campaign', () =>
      new DataLoader<number, Campaign | null>(async (ids) => {
        const rows = await (await this.#statements(this.#trace())).$queryRawUnsafe<Campaign[]>(CAMPAIGNS_BY_ID, [...ids], this.tenantId);
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
    );
  }

  /** When each campaign's first and last calls started. */
  get callSpan(): DataLoader<number, queries.CallSpan | null> {
    return this.#once('callSpan', () => new DataLoader<number, queries.CallSpan | null>(async (ids) => queries.callSpans(await this.#statements(this.#trace()), ids)));
  }

  get callTotals() { return this.#windowLoader('callTotals', queries.callTotals); }
  get leadTotals() { return this.#windowLoader('leadTotals', queries.leadTotals); }
  get dtmfCounts() { return this.#windowLoader('dtmfCounts', queries.dtmfCounts); }
  get hangupCauseCounts() { return this.#windowLoader('hangupCauseCounts', queries.hangupCauseCounts); }
  get scriptPathCounts() { return this.#windowLoader('scriptPathCounts', queries.scriptPathCounts); }
  get dispositionCounts() { return this.#windowLoader('dispositionCounts', queries.dispositionCounts); }
  get talkSecondCounts() { return this.#windowLoader('talkSecondCounts', queries.talkSecondCounts); }
  get heatmapCounts() { return this.#windowLoader('heatmapCounts', queries.heatmapCounts); }
  get funnelCounts() { return this.#windowLoader('funnelCounts', queries.funnelCounts); }
  get trendCounts() { return this.#windowLoader('trendCounts', queries.trendCounts); }
}
