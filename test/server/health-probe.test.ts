import { afterEach, describe, expect, it, vi } from 'vitest';
import { recentDatabaseAnswer } from '../../src/http/health.js';

describe("/healthz's database probe", () => {
  afterEach(() => vi.useRealTimers());

  it('reuses a success for a second, never a failure', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let answers: (() => Promise<void>)[] = [];
    const ping = vi.fn(() => answers.shift()!());
    const probe = recentDatabaseAnswer(ping);
    answers = [async () => {}];
    await probe();
    await probe();
    expect(ping).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_001);
    // The database stops answering: the next check asks it, and so does every one after.
    answers = [() => Promise.reject(new Error('down')), () => Promise.reject(new Error('down')), async () => {}];
    await expect(probe()).rejects.toThrow('down');
    await expect(probe()).rejects.toThrow('down');
    await probe();
    expect(ping).toHaveBeenCalledTimes(4);
  });
});
