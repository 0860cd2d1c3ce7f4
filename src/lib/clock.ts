// The one clock (conventions §18). Every deadline, countdown, reminder and delayed job reads
// `now()` from the clock wired in src/app.ts: the system clock in production, a clock a test
// moves by hand so a T-7d…T+180d plan runs in seconds.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
