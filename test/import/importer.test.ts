import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, campaign, lead } from '../support/fixtures.js';
import { vacuumAnalyze } from '../../src/db/maintenance.js';
import { importNdjson, type Rejection } from '../../src/import/importer.js';
import { MAX_LINE_BYTES, readLines } from '../../src/import/lines.js';
import { createTestkit, ndjson, type Testkit } from '../support/testkit.js';

let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit();
});
afterAll(() => kit.close());

const FILE = ndjson(
  campaign(5, 'Renewal Q3'),
  lead('L-1', 5),
  lead('L-2', 5, { phone: '+84907654321' }),
  call('C-1', 5, 'L-1', { disposition: null }),
  call('C-2', 5, 'L-2', {
    result: 'no_answer', answered_at: null, billsec: 0, hangup_cause: 'NO_ANSWER',
    dtmf: null, script_path: null, transfer: null, disposition: null,
  }),
  // Optional keys may also be absent altogether.
  { type: 'call', id: 'C-3', campaign_id: 5, lead_id: 'L-2', started_at: '2026-06-02T09:00:00+07:00',
    ended_at: '2026-06-02T09:00:30+07:00', result: 'busy', billsec: 0, hangup_cause: 'USER_BUSY' },
);

async function tableCounts() {
  const [campaigns, leads, calls, tenants] = await Promise.all([
    kit.db.prisma.campaign.count(),
    kit.db.prisma.lead.count(),
    kit.db.prisma.callAttempt.count(),
    kit.db.prisma.tenant.count(),
  ]);
  return { campaigns, leads, calls, tenants };
}

describe('NDJSON import', () => {
  it('imports every record type with its fields', async () => {
    const { summary, rejections } = await kit.importLines(FILE);
    expect(rejections).toEqual([]);
    expect(summary).toEqual({
      imported: { campaign: 1, lead: 2, call: 3 },
      rejected: { campaign: 0, lead: 0, call: 0, unknown: 0 },
    });
    expect(await tableCounts()).toEqual({ campaigns: 1, leads: 2, calls: 3, tenants: 1 });
    const c1 = await kit.db.prisma.callAttempt.findUniqueOrThrow({ where: { id: 'C-1' } });
    expect(c1).toEqual({
      id: 'C-1', campaignId: 5, leadId: 'L-1',
      startedAt: new Date('2026-06-01T02:00:00Z'), answeredAt: new Date('2026-06-01T02:00:09Z'), endedAt: new Date('2026-06-01T02:00:51Z'),
      result: 'answered', billsec: 42, hangupCause: 'NORMAL_CLEARING', dtmf: '1',
      scriptPath: ['intro', 'press_1', 'queue_sales'], transferQueue: 'sales', transferStatus: 'success', disposition: null,
    });
    const c3 = await kit.db.prisma.callAttempt.findUniqueOrThrow({ where: { id: 'C-3' } });
    expect(c3).toMatchObject({ startedAt: new Date('2026-06-02T02:00:00Z'), answeredAt: null, dtmf: null, scriptPath: [], transferQueue: null, transferStatus: null });
  });

  it('changes nothing when the same file is imported twice', async () => {
    const before = await kit.db.prisma.callAttempt.findMany({ orderBy: { id: 'asc' } });
    const { summary } = await kit.importLines(FILE);
    expect(summary.imported).toEqual({ campaign: 1, lead: 2, call: 3 });
    expect(await tableCounts()).toEqual({ campaigns: 1, leads: 2, calls: 3, tenants: 1 });
    expect(await kit.db.prisma.callAttempt.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('lets a later record with the same id replace the earlier one, within a file and across files', async () => {
    await kit.importLines(
      ndjson(
        call('C-1', 5, 'L-1', { disposition: 'callback' }),
        lead('L-2', 5, { phone: '+84900000000' }),
        call('C-1', 5, 'L-1', { disposition: 'sale', billsec: 50 }),
        campaign(5, 'Renewal Q3 (extended)', 'acme', { dtmf_actions: [] }),
      ),
    );
    expect(await kit.db.prisma.callAttempt.findUniqueOrThrow({ where: { id: 'C-1' } })).toMatchObject({ disposition: 'sale', billsec: 50 });
    expect(await kit.db.prisma.lead.findUniqueOrThrow({ where: { id: 'L-2' } })).toMatchObject({ phone: '+84900000000' });
    expect(await kit.db.prisma.campaign.findUniqueOrThrow({ where: { id: 5 } })).toMatchObject({ name: 'Renewal Q3 (extended)', dtmfActions: [] });
    expect(await tableCounts()).toEqual({ campaigns: 1, leads: 2, calls: 3, tenants: 1 });
  });

  it('rejects each bad line with its number and reason and keeps every good line', async () => {
    const lines = [
      '{"type":"campaign","id":7',
      JSON.stringify({ type: 'agent', id: 1 }),
      JSON.stringify({ id: 'X-1' }),
      JSON.stringify(campaign(7, 'Seven', 'acme', { name: undefined })),
      JSON.stringify(lead('L-7', '7' as never)),
      JSON.stringify(call('C-70', 5, 'L-1', { result: 'maybe' })),
      JSON.stringify(call('C-71', 5, 'L-1', { started_at: '2026-06-01T02:00:00' })),
      JSON.stringify(call('C-72', 5, 'L-1', { started_at: '2026-02-30T02:00:00Z' })),
      JSON.stringify(call('C-73', 5, 'L-1', { dtmf: '12' })),
      JSON.stringify(call('C-74', 5, 'L-1', { billsec: -1 })),
      JSON.stringify(call('C-75', 5, 'L-1', { transfer: { queue: 'sales', status: 'maybe' } })),
      JSON.stringify(lead('L-8', 99)),
      JSON.stringify(call('C-76', 5, 'L-404')),
      JSON.stringify(campaign(6, 'Six')),
      JSON.stringify(lead('L-6', 6)),
      JSON.stringify(call('C-77', 5, 'L-6')),
      JSON.stringify(call('C-78', 6, 'L-6')),
      '',
      JSON.stringify(call('C-79', 5, 'L-1', { ended_at: '2026-06-01T01:00:00Z' })),
      'null',
    ];
    const { summary, rejections } = await kit.importLines(lines);
    expect([...rejections].sort((a, b) => a.line - b.line)).toEqual([
      { line: 1, type: undefined, reason: 'not valid JSON' },
      { line: 2, type: undefined, reason: 'unknown type "agent" (expected campaign, lead or call)' },
      { line: 3, type: undefined, reason: 'unknown type null (expected campaign, lead or call)' },
      { line: 4, type: 'campaign', reason: 'missing required key "name"' },
      { line: 5, type: 'lead', reason: '"campaign_id" must be an integer' },
      { line: 6, type: 'call', reason: '"result" must be one of answered, no_answer, busy, failed, abandoned' },
      { line: 7, type: 'call', reason: '"started_at" must be an ISO 8601 timestamp with an offset' },
      { line: 8, type: 'call', reason: '"started_at" must be an ISO 8601 timestamp with an offset' },
      { line: 9, type: 'call', reason: '"dtmf" must be one of 0-9, * or #' },
      { line: 10, type: 'call', reason: '"billsec" must not be negative' },
      { line: 11, type: 'call', reason: '"transfer.status" must be success or failed' },
      { line: 12, type: 'lead', reason: 'unknown campaign 99' },
      { line: 13, type: 'call', reason: 'unknown lead "L-404"' },
      { line: 16, type: 'call', reason: 'lead "L-6" belongs to campaign 6, not 5' },
      { line: 19, type: 'call', reason: '"ended_at" must not be before started_at' },
      { line: 20, type: undefined, reason: 'not a JSON object' },
    ]);
    expect(summary).toEqual({
      imported: { campaign: 1, lead: 1, call: 1 },
      rejected: { campaign: 1, lead: 2, call: 9, unknown: 4 },
    });
    expect(await kit.db.prisma.callAttempt.findUnique({ where: { id: 'C-78' } })).toMatchObject({ campaignId: 6, leadId: 'L-6' });
    expect(await tableCounts()).toEqual({ campaigns: 2, leads: 3, calls: 4, tenants: 1 });
  });

  it('keeps text with quotes, backslashes, commas, braces and NULL-like words intact', async () => {
    const tricky = ['say "hi"', 'back\\slash', 'a,b', '{braces}', 'NULL', ' spaced '];
    await kit.importLines(ndjson(lead('L-"q"', 5, { phone: 'NULL' }), call('C-tricky', 5, 'L-"q"', { script_path: tricky, disposition: '"quoted", {x}' })));
    expect(await kit.db.prisma.callAttempt.findUniqueOrThrow({ where: { id: 'C-tricky' } })).toMatchObject({
      leadId: 'L-"q"',
      scriptPath: tricky,
      disposition: '"quoted", {x}',
    });
    expect(await kit.db.prisma.lead.findUniqueOrThrow({ where: { id: 'L-"q"' } })).toMatchObject({ phone: 'NULL' });
  });

  it('refuses a reference to a record that only comes later in the file', async () => {
    const { rejections } = await kit.importLines(ndjson(lead('L-9', 9), campaign(9, 'Nine')));
    expect(rejections).toEqual([{ line: 1, type: 'lead', reason: 'unknown campaign 9' }]);
  });

  it('leaves every page of the calls, leads and rollups all-visible after the VACUUM that follows an import, so reports can scan indexes alone', async () => {
    const leads = Array.from({ length: 300 }, (_, i) => lead(`V-${i}`, 5));
    await kit.importLines(ndjson(campaign(5, 'Renewal Q3'), ...leads, ...leads.map((one, i) => call(`V-${i}`, 5, one.id))));
    await vacuumAnalyze(kit.db);
    const pages = await kit.db.prisma.$queryRawUnsafe<{ relname: string; relpages: number; relallvisible: number }[]>(
      "SELECT relname, relpages, relallvisible FROM pg_class WHERE oid IN ('call_attempt'::regclass, 'lead'::regclass, 'call_bucket'::regclass) ORDER BY relname",
    );
    expect(pages.map((table) => table.relpages)).not.toContain(0);
    expect(pages.map((table) => table.relallvisible)).toEqual(pages.map((table) => table.relpages));
  });

  it('keeps a lead that has calls in their campaign, and lets a lead without calls move', async () => {
    const { rejections, summary } = await kit.importLines(
      ndjson(campaign(10, 'Ten'), lead('L-10', 5), lead('L-1', 10), lead('L-10', 10), lead('L-2', 5, { phone: '+84911111111' })),
    );
    expect(rejections).toEqual([{ line: 3, type: 'lead', reason: 'lead "L-1" has calls in campaign 5; it cannot move to campaign 10' }]);
    expect(summary.imported).toEqual({ campaign: 1, lead: 3, call: 0 });
    expect(await kit.db.prisma.lead.findUniqueOrThrow({ where: { id: 'L-1' } })).toMatchObject({ campaignId: 5 });
    expect(await kit.db.prisma.lead.findUniqueOrThrow({ where: { id: 'L-10' } })).toMatchObject({ campaignId: 10 });
    expect(await kit.db.prisma.lead.findUniqueOrThrow({ where: { id: 'L-2' } })).toMatchObject({ phone: '+84911111111' });
  });
});

describe('NDJSON import while another writer holds the campaign', () => {
  it.runIf(process.env.TEST_DATABASE_URL)(
    'writes the calls alone that came in while a transaction waited for its campaign in that transaction, in the order they came',
    async () => {
      await kit.importLines(ndjson(lead('L-t1', 5), lead('L-t2', 5)));
      const holder = await kit.db.session();
      await holder.exec('BEGIN; SELECT id FROM campaign WHERE id = 5 FOR UPDATE');
      const waiting = async () =>
        (await holder.rows<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0]!.n;
      const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
      let imports: ReturnType<typeof kit.importLines>[];
      try {
        imports = [kit.importLines(ndjson(call('CW-A', 5, 'L-t1')))];
        while ((await waiting()) === 0) await settle();
        // Queued one after another while the first waits for the lock:
        for (const lines of [
          ndjson(call('CW-B', 5, 'L-t2'), call('CW-X', 5, 'L-none')),
          // A later record with the same id replaces CW-B's first one.
          ndjson(call('CW-C', 5, 'L-t1'), call('CW-B', 5, 'L-t2', { billsec: 9 })),
          // A lead: not calls alone, so it waits for the next transaction, and so does what comes after it.
          ndjson(lead('L-t3', 5)),
          ndjson(call('CW-E', 5, 'L-t2')),
        ]) {
          imports.push(kit.importLines(lines));
          await settle();
        }
      } finally {
        await holder.exec('COMMIT');
        await holder.release();
      }
      const answers = await Promise.all(imports);
      expect(answers.map(({ rejections }) => rejections)).toEqual([[], [{ line: 2, type: 'call', reason: 'unknown lead "L-none"' }], [], [], []]);
      const rows = await kit.db.prisma.$queryRawUnsafe<{ id: string; tx: string; billsec: number }[]>(
        `SELECT id, xmin::text AS tx, billsec FROM call_attempt WHERE id LIKE 'CW-%'
         UNION ALL SELECT id, xmin::text, NULL FROM lead WHERE id = 'L-t3' ORDER BY id`,
      );
      const tx = Object.fromEntries(rows.map((row) => [row.id, Number(row.tx)]));
      expect(rows.map((row) => row.id)).toEqual(['CW-A', 'CW-B', 'CW-C', 'CW-E', 'L-t3']);
      expect(rows.find((row) => row.id === 'CW-B')!.billsec).toBe(9);
      // The first transaction wrote the first three imports; the lead and the call queued behind it, the next.
      expect([tx['CW-B'], tx['CW-C']]).toEqual([tx['CW-A'], tx['CW-A']]);
      expect(tx['L-t3']).toBeGreaterThan(tx['CW-A']!);
      expect(tx['CW-E']).toBe(tx['L-t3']);
      const [sums] = await kit.db.prisma.$queryRawUnsafe<{ rows: number; rolled: number }[]>(
        `SELECT (SELECT count(*)::int FROM call_attempt WHERE campaign_id = 5) AS rows, (SELECT sum(dialed)::int FROM call_day WHERE campaign_id = 5) AS rolled`,
      );
      expect(sums!.rolled).toBe(sums!.rows);
    },
  );
});

describe('NDJSON import of values PostgreSQL would refuse', () => {
  it('rejects each such line by validation and keeps the good lines of the same batch', async () => {
    const lines = ndjson(
      campaign(3_000_000_000, 'Too big'),
      lead('L-nul', 5, { phone: '+8490\u00001234' }),
      call('C-huge', 5, 'L-1', { billsec: 3e9 }),
      call('C-year', 5, 'L-1', { started_at: '0000-01-01T00:00:00Z', ended_at: '0000-01-01T00:01:00Z' }),
      call('C-offset', 5, 'L-1', { started_at: '2026-06-01T02:00:00+23:00', ended_at: '2026-06-01T02:10:00+23:00' }),
      call('C-nul', 5, 'L-1', { script_path: ['intro', 'x\u0000y'] }),
      call('C-long', 5, 'L-1', { disposition: 'x'.repeat(201) }),
      lead('L-good', 5),
      call('C-good', 5, 'L-good'),
    );
    const { summary, rejections } = await kit.importLines(lines, 100);
    expect(rejections).toEqual([
      { line: 1, type: 'campaign', reason: '"id" must be at most 2147483647' },
      { line: 2, type: 'lead', reason: '"phone" must not contain a NUL character' },
      { line: 3, type: 'call', reason: '"billsec" must be at most 2147483647' },
      { line: 4, type: 'call', reason: '"started_at" must be in the year 1900 or later' },
      { line: 5, type: 'call', reason: '"started_at" must be an ISO 8601 timestamp with an offset' },
      { line: 6, type: 'call', reason: '"script_path.1" must not contain a NUL character' },
      { line: 7, type: 'call', reason: '"disposition" must be at most 200 characters' },
    ]);
    expect(summary.imported).toEqual({ campaign: 0, lead: 1, call: 1 });
    expect(await kit.db.prisma.callAttempt.findUnique({ where: { id: 'C-good' } })).toMatchObject({ leadId: 'L-good' });
  });

  it('rejects a line of invalid UTF-8 or over 1 MiB, read from bytes as the command reads them', async () => {
    const good = (id: string) => Buffer.from(`${JSON.stringify(lead(id, 5))}\n`);
    const input = Buffer.concat([
      good('L-u1'),
      Buffer.concat([Buffer.from('{"type":"lead","id":"L-bad","campaign_id":5,"phone":"+84'), Buffer.from([0xff, 0xfe]), Buffer.from('","imported_at":"2026-06-01T00:30:00Z"}\n')]),
      Buffer.from(`${JSON.stringify(lead('L-fffd', 5, { phone: '+84 \uFFFD' }))}\n`),
      Buffer.from(`${JSON.stringify(lead('L-huge', 5, { phone: 'x'.repeat(MAX_LINE_BYTES) }))}\n`),
      good('L-u2'),
    ]);
    // Fed in small chunks, so lines and even characters are split across reads.
    async function* chunks() {
      for (let at = 0; at < input.length; at += 4096) yield input.subarray(at, at + 4096);
    }
    const rejections: Rejection[] = [];
    const summary = await importNdjson(kit.db, readLines(chunks()), { onRejected: (rejection) => rejections.push(rejection) });
    expect(rejections).toEqual([
      { line: 2, type: undefined, reason: 'not valid UTF-8' },
      { line: 4, type: undefined, reason: `longer than ${MAX_LINE_BYTES} bytes` },
    ]);
    expect(summary.imported.lead).toBe(3);
    expect(await kit.db.prisma.lead.findUniqueOrThrow({ where: { id: 'L-fffd' } })).toMatchObject({ phone: '+84 \uFFFD' });
    expect(await kit.db.prisma.lead.count({ where: { id: { in: ['L-u1', 'L-u2', 'L-bad', 'L-huge'] } } })).toBe(2);
  });

  it('writes a batch the database refuses again line by line, so only the refused record is lost', async () => {
    // A rule of the database that validation does not know, standing in for any refusal.
    await kit.db.prisma.$executeRawUnsafe(`ALTER TABLE lead ADD CONSTRAINT test_no_blocked_phone CHECK (phone <> '+84000000000')`);
    try {
      const { summary, rejections } = await kit.importLines(
        ndjson(lead('L-b1', 5), lead('L-blocked', 5, { phone: '+84000000000' }), call('C-b1', 5, 'L-b1'), lead('L-b2', 5)),
        100,
      );
      expect(rejections).toEqual([
        {
          line: 2,
          type: 'lead',
          reason: 'refused by the database: new row for relation "lead" violates check constraint "test_no_blocked_phone"',
        },
      ]);
      expect(summary.imported).toEqual({ campaign: 0, lead: 2, call: 1 });
      expect(await kit.db.prisma.lead.count({ where: { id: { in: ['L-b1', 'L-b2', 'L-blocked'] } } })).toBe(2);
      expect(await kit.db.prisma.callAttempt.count({ where: { id: 'C-b1' } })).toBe(1);
    } finally {
      await kit.db.prisma.$executeRawUnsafe('ALTER TABLE lead DROP CONSTRAINT test_no_blocked_phone');
    }
  });

  it('writes a batch of calls alone (looked up beside the lock, committed behind the write) again call by call when the database refuses one', async () => {
    await kit.importLines(ndjson(lead('L-c1', 5), lead('L-c2', 5)));
    const dialed = async () => (await kit.db.prisma.callDay.aggregate({ where: { campaignId: 5 }, _sum: { dialed: true } }))._sum.dialed;
    const before = { calls: await kit.db.prisma.callAttempt.count({ where: { campaignId: 5 } }), dialed: await dialed() };
    await kit.db.prisma.$executeRawUnsafe('ALTER TABLE call_attempt ADD CONSTRAINT test_no_4242 CHECK (billsec <> 4242)');
    try {
      const { summary, rejections } = await kit.importLines(
        ndjson(call('C-c1', 5, 'L-c1'), call('C-c2', 5, 'L-c2', { billsec: 4242 }), call('C-c3', 5, 'L-c2'), call('C-c4', 5, 'L-none')),
        100,
      );
      expect(rejections).toEqual([
        { line: 2, type: 'call', reason: 'refused by the database: new row for relation "call_attempt" violates check constraint "test_no_4242"' },
        { line: 4, type: 'call', reason: 'unknown lead "L-none"' },
      ]);
      expect(summary.imported).toEqual({ campaign: 0, lead: 0, call: 2 });
      expect(await kit.db.prisma.callAttempt.findMany({ where: { id: { startsWith: 'C-c' } }, select: { id: true }, orderBy: { id: 'asc' } })).toEqual([
        { id: 'C-c1' },
        { id: 'C-c3' },
      ]);
      // The refused batch's first transaction left nothing in the rollups either.
      expect({ calls: await kit.db.prisma.callAttempt.count({ where: { campaignId: 5 } }), dialed: await dialed() }).toEqual({
        calls: before.calls + 2,
        dialed: before.dialed! + 2,
      });
    } finally {
      await kit.db.prisma.$executeRawUnsafe('ALTER TABLE call_attempt DROP CONSTRAINT test_no_4242');
    }
  });
});
