import { afterEach, describe, expect, it, vi } from 'vitest';
import { TenantQueue } from '../../src/fair-share/tenant-queue.js';

/** A statement that runs until released, recording when it started. */
function statements(queue: TenantQueue, started: string[]) {
  const releases: (() => void)[] = [];
  const run = (tenant: string, name: string) =>
    queue.run(tenant, () => {
      started.push(name);
      return new Promise<string>((resolve) => releases.push(() => resolve(name)));
    });
  const releaseOne = async () => {
    releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { run, releaseOne };
}

describe('TenantQueue', () => {
  afterEach(() => vi.useRealTimers());

  it('holds a tenant to its share and gives the next turn to the tenant that runs the fewest, not the first queued', async () => {
    const queue = new TenantQueue({ total: 3, perTenant: 2, contendedPerTenant: 2, maxWaitMs: 60_000, maxWaiting: 100 });
    const started: string[] = [];
    const { run, releaseOne } = statements(queue, started);
    const answers = [...Array.from({ length: 6 }, (_, n) => run('a', `a${n}`))];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a0', 'a1']);
    // B's first statement runs at once: a turn is free, and A holds its two.
    answers.push(run('b', 'b0'), run('b', 'b1'), run('c', 'c0'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a0', 'a1', 'b0']);
    expect(queue.stats()).toMatchObject({ running: 3, waiting: 6 });
    // A's statement ends: C, running none, goes before B's second and A's four.
    await releaseOne();
    expect(started.at(-1)).toBe('c0');
    await releaseOne();
    expect(started.at(-1)).toBe('a2');
    while (started.length < 9) await releaseOne();
    while (queue.stats().running > 0) await releaseOne();
    expect(await Promise.all(answers)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'b0', 'b1', 'c0']);
    // Nothing held once everything ran.
    expect(queue.stats()).toEqual({ running: 0, waiting: 0, oldestWaitMs: 0 });
  });

  it('refuses with OVERLOADED a statement that waits too long or finds its tenant\'s queue full, and forgets it', async () => {
    const queue = new TenantQueue({ total: 1, perTenant: 1, contendedPerTenant: 1, maxWaitMs: 100, maxWaiting: 2 });
    const started: string[] = [];
    const { run, releaseOne } = statements(queue, started);
    const first = run('a', 'a0');
    const waiting = [run('a', 'a1'), run('a', 'a2')];
    await expect(run('a', 'a3')).rejects.toMatchObject({ extensions: { code: 'OVERLOADED', retryAfterSeconds: 1 } });
    for (const statement of waiting) {
      await expect(statement).rejects.toMatchObject({ message: 'The database is busy: this report waited 100 ms for a turn; retry in 1 s' });
    }
    expect(queue.stats()).toMatchObject({ running: 1, waiting: 0 });
    await releaseOne();
    expect(await first).toBe('a0');
    expect(started).toEqual(['a0']);
    expect(queue.stats()).toEqual({ running: 0, waiting: 0, oldestWaitMs: 0 });
  });

  it('narrows a tenant to its contended share while another tenant is active, and widens it a second after the other went quiet', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const queue = new TenantQueue({ total: 6, perTenant: 3, contendedPerTenant: 1, maxWaitMs: 60_000, maxWaiting: 100 });
    const started: string[] = [];
    const { run, releaseOne } = statements(queue, started);
    const answers = Array.from({ length: 5 }, (_, n) => run('a', `a${n}`));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a0', 'a1', 'a2']);
    // B arrives: its first statement runs at once, its second waits (B too has the contended share),
    // and A's next turn waits until A runs fewer than one, though three turns are free.
    answers.push(run('b', 'b0'), run('b', 'b1'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a0', 'a1', 'a2', 'b0']);
    await releaseOne();
    await releaseOne();
    expect(started).toEqual(['a0', 'a1', 'a2', 'b0']);
    await releaseOne();
    expect(started).toEqual(['a0', 'a1', 'a2', 'b0', 'a3']);
    await releaseOne();
    expect(started).toEqual(['a0', 'a1', 'a2', 'b0', 'a3', 'b1']);
    await releaseOne();
    await releaseOne();
    expect(started.at(-1)).toBe('a4');
    // B has been quiet for a second: A has its whole share again.
    vi.setSystemTime(Date.now() + 1_001);
    answers.push(run('a', 'a5'), run('a', 'a6'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started.slice(-2)).toEqual(['a5', 'a6']);
    while (queue.stats().running > 0) await releaseOne();
    expect(await Promise.all(answers)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'a5', 'a6']);
  });
});
