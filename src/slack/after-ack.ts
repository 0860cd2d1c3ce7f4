// Slack gives a listener 3 s to ack; the reply can wait. Yielding once after `ack()` lets the
// event loop flush pending acks of other requests before this one's work (engine calls,
// rendering, the response_url POST) takes the CPU — acks stay fast under a burst of commands.
export function afterAck(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
