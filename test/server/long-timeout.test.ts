import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runAt } from '../../src/http/long-timeout.js';

describe('runAt', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-11-25T00:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('fires at an instant 30 days away, not before', () => {
    const run = vi.fn();
    runAt(new Date('2026-12-25T00:00:00Z'), run);
    vi.advanceTimersByTime(29 * 86_400_000);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(86_400_000 - 1);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledOnce();
  });

  it('fires at once for an instant already past, and never once cleared', () => {
    const past = vi.fn();
    runAt(new Date('2026-11-24T00:00:00Z'), past);
    vi.advanceTimersByTime(0);
    expect(past).toHaveBeenCalledOnce();
    const cleared = vi.fn();
    runAt(new Date('2027-06-01T00:00:00Z'), cleared).clear();
    vi.advanceTimersByTime(400 * 86_400_000);
    expect(cleared).not.toHaveBeenCalled();
  });
});
