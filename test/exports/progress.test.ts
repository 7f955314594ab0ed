import { describe, expect, it } from 'vitest';
import { RowProgress } from '../../src/exports/progress.js';

describe('RowProgress', () => {
  it('reports every 5 % step the rows cross, in order, and never 100', async () => {
    const reported: number[] = [];
    const progress = new RowProgress(1000, async (pct) => void reported.push(pct));
    expect(progress.add(49)).toBeUndefined();
    await progress.add(1);
    expect(reported).toEqual([5]);
    await progress.add(300);
    expect(reported).toEqual([5, 10, 15, 20, 25, 30, 35]);
    expect(progress.add(10)).toBeUndefined();
    await progress.add(640);
    expect(reported).toEqual(Array.from({ length: 19 }, (_, i) => 5 * (i + 1)));
    expect(progress.add(1000)).toBeUndefined();
  });

  it('steps through every 5 % even when a single row is more than that', async () => {
    const reported: number[] = [];
    const progress = new RowProgress(3, async (pct) => void reported.push(pct));
    await progress.add(1);
    expect(reported).toEqual([5, 10, 15, 20, 25, 30]);
  });

  it('throws the stop signal\'s reason at the next row once it is aborted, between steps too', async () => {
    const stop = new AbortController();
    const progress = new RowProgress(1000, async () => {}, stop.signal);
    expect(progress.add(1)).toBeUndefined();
    const canceled = new Error('canceled');
    stop.abort(canceled);
    expect(() => progress.add(1)).toThrow(canceled);
  });
});
