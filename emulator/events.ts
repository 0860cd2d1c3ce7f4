// GET /_emu/events: Server-Sent Events, one tick per store change, so the page need not poll.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorStore } from './store.js';

export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly unsubscribe: () => void;

  constructor(store: EmulatorStore) {
    this.unsubscribe = store.onChange((version) => {
      for (const res of this.clients) res.write(`event: tick\ndata: ${version}\n\n`);
    });
  }

  attach(req: IncomingMessage, res: ServerResponse, version: number): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(`event: tick\ndata: ${version}\n\n`);
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  close(): void {
    this.unsubscribe();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
