import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRows } from '../../src/data/call-rows.js';
import { CURSOR_APPLICATION_NAME } from '../../src/db/client.js';
import { call, campaign, lead } from '../support/fixtures.js';
import { createTestkit, ndjson, type Testkit } from '../support/testkit.js';

// Five calls, three of them starting at the same millisecond, so pages end inside a tie; one call
// of another campaign at that millisecond; one call after the window.
const TIED = '2026-06-01T02:00:00.125Z';
const at = (time: string) => ({ started_at: time, answered_at: time, ended_at: time });
let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit(
    ndjson(
      campaign(5, 'Renewal Q3'),
      campaign(8, 'Cross-sell Q3'),
      lead('L-1', 5),
      lead('L-8', 8),
      call('C-a', 5, 'L-1', { started_at: '2026-06-01T01:59:59.999Z', answered_at: null, ended_at: '2026-06-01T02:00:30Z', result: 'no_answer', billsec: 0, hangup_cause: 'NO_ANSWER', dtmf: null, script_path: null, transfer: null, disposition: null }),
      call('C-c', 5, 'L-1', { started_at: TIED }),
      call('C-b', 5, 'L-1', { started_at: TIED }),
      call('C-d', 5, 'L-1', { started_at: TIED }),
      call('X-1', 8, 'L-8', { started_at: TIED }),
      call('C-e', 5, 'L-1', at('2026-06-02T00:00:00Z')),
      call('C-late', 5, 'L-1', at('2026-06-03T00:00:00Z')),
    ),
  );
});
afterAll(() => kit.close());

describe('callRows', () => {
  const window = { campaignId: 5, from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-06-03T00:00:00Z') };
  const read = async (pageSize: number) => {
    const pages = [];
    for await (const page of callRows(kit.db, window, {}, pageSize)) pages.push(page);
    return pages;
  };

  it('reads the window in start order, each call once, however the pages fall', async () => {
    const pages = await read(2);
    expect(pages.map((page) => page.map((row) => row[0]))).toEqual([['C-a', 'C-b'], ['C-c', 'C-d'], ['C-e']]);
    expect((await read(5000)).flat()).toEqual(pages.flat());
  });

  it('gives each call in export form: ISO times, the path joined, text for enums', async () => {
    const [unanswered, answered] = (await read(2))[0]!;
    expect(unanswered).toEqual([
      'C-a', 'L-1', '2026-06-01T01:59:59.999Z', null, '2026-06-01T02:00:30.000Z', 'no_answer', 0, 'NO_ANSWER', null, '', null, null, null,
    ]);
    expect(answered).toEqual([
      'C-b', 'L-1', TIED, '2026-06-01T02:00:09.000Z', '2026-06-01T02:00:51.000Z', 'answered', 42, 'NORMAL_CLEARING', '1',
      'intro → press_1 → queue_sales', 'sales', 'success', 'interested',
    ]);
  });

  it('gives the times as Excel date-times of the wall clock in a zone, for xlsx', async () => {
    const rows: unknown[][] = [];
    for await (const page of callRows(kit.db, window, { excelZone: 'Asia/Kathmandu' }, 2)) rows.push(...page);
    expect(rows.map((row) => row[0])).toEqual(['C-a', 'C-b', 'C-c', 'C-d', 'C-e']);
    // Kathmandu is UTC+05:45; Excel counts days from 1899-12-30, 25569 days before 1970-01-01.
    const serial = (wallClock: string) => Date.parse(`${wallClock}Z`) / 86_400_000 + 25569;
    // As text, written as JavaScript writes the same number.
    const times = [rows[0]![2], rows[0]![4], rows[4]![2]] as string[];
    expect(times.map((time) => String(Number(time)))).toEqual(times);
    expect(Number(times[0])).toBeCloseTo(serial('2026-06-01T07:44:59.999'), 9);
    expect(rows[0]![3]).toBeNull();
    expect(Number(times[1])).toBeCloseTo(serial('2026-06-01T07:45:30'), 9);
    expect(Number(times[2])).toBeCloseTo(serial('2026-06-02T05:45:00'), 9);
    expect(rows[0]!.slice(5)).toEqual(['no_answer', 0, 'NO_ANSWER', null, '', null, null, null]);
  });
});

describe('callRows on PostgreSQL', () => {
  it.runIf(process.env.TEST_DATABASE_URL)('reads through a connection of its own, closed when the reader stops early', async () => {
    const window = { campaignId: 5, from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-06-03T00:00:00Z') };
    // The cursor's own connections: the pool opens others when it needs them (the gateway's VACUUM after ingests).
    const backends = async () =>
      Number(
        ((await kit.db.arrayRows('SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [CURSOR_APPLICATION_NAME])) as [string][])[0]![0],
      );
    const before = await backends();
    const pages = callRows(kit.db, window, {}, 2);
    const first = await pages.next();
    expect((first.value as unknown[][]).map((row) => row[0])).toEqual(['C-a', 'C-b']);
    expect(await backends()).toBe(before + 1);
    await pages.return(undefined);
    expect(await backends()).toBe(before);
  });
});
