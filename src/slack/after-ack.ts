// Slack gives a listener 3 s to ack; the reply can wait. Work after `ack()` (engine calls,
// rendering, the response_url POST) runs in a narrow lane: at most LANE_SIZE at once, each
// started from setImmediate, so under a burst of commands every ack goes out before the work
// queued behind it takes the CPU. The work itself is unchanged.
const LANE_SIZE = 2;
let active = 0;
const waiting: Array<() => void> = [];

function acquire(): Promise<void> {
  if (active < LANE_SIZE) {
    active++;
    return new Promise((resolve) => setImmediate(resolve));
  }
  return new Promise((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) setImmediate(next); // the slot passes on; `active` stays
  else active--;
}

export async function afterAck<T>(work: () => Promise<T>): Promise<T> {
  await acquire();
  try {
    return await work();
  } finally {
    release();
  }
}
