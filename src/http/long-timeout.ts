/** Node's timers hold at most 2^31-1 ms (about 24.8 days); a longer delay would fire after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

export interface LongTimeout {
  clear(): void;
}

/** Calls `run` at `at` however far away it is, by chaining timers no longer than Node allows. */
export function runAt(at: Date, run: () => void): LongTimeout {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const remaining = at.getTime() - Date.now();
    timer = remaining > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(run, Math.max(remaining, 0));
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
