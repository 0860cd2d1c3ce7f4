// Waits for a promise at most `ms`: true if it settled in time (a rejection counts as settled).
// Shutdown uses it so that no close, flush or Redis call can hold the process past its deadline.
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
