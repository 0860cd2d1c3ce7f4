// Socket Mode (reference §1.3): apps.connections.open hands out a one-use ws:// URL; the app
// connects, gets {"type":"hello"}, and receives envelopes it acks with {envelope_id, payload?}.
// No signing. Envelopes go to the newest open connection.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { DeliveryResult } from './delivery.js';
import type { Json } from './types.js';

export type EnvelopeType = 'slash_commands' | 'interactive';

/** Slack pings its Socket Mode clients; the SDK reconnects after 30 s without one. */
const PING_EVERY_MS = 10_000;
const TICKET_TTL_MS = 30_000;

interface PendingAck {
  resolve(result: DeliveryResult): void;
  timer: NodeJS.Timeout;
}

export class SocketModeHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, number>();
  private readonly connections: WebSocket[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly appId: string) {
    this.pinger = setInterval(() => {
      for (const ws of this.connections) ws.ping();
    }, PING_EVERY_MS);
    this.pinger.unref();
  }

  /** apps.connections.open: a fresh single-use URL. */
  openUrl(baseUrl: string): string {
    const ticket = randomUUID();
    this.tickets.set(ticket, Date.now() + TICKET_TTL_MS);
    const wsBase = baseUrl.replace(/^http/, 'ws');
    return `${wsBase}/socket?ticket=${ticket}&app_id=${encodeURIComponent(this.appId)}`;
  }

  get connected(): boolean {
    return this.connections.length > 0;
  }

  /** Takes over `upgrade` on the emulator's HTTP server for GET /socket. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const ticket = url.searchParams.get('ticket') ?? '';
      const expires = this.tickets.get(ticket);
      this.tickets.delete(ticket);
      if (url.pathname !== '/socket' || expires === undefined || expires < Date.now()) {
        socket.end(`HTTP/1.1 ${url.pathname === '/socket' ? '401 Unauthorized' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
  }

  private onConnection(ws: WebSocket): void {
    this.connections.push(ws);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) this.onMessage(rawText(data));
    });
    ws.on('close', () => {
      const i = this.connections.indexOf(ws);
      if (i >= 0) this.connections.splice(i, 1);
    });
    ws.on('error', () => ws.terminate());
    ws.send(JSON.stringify({
      type: 'hello',
      num_connections: this.connections.length,
      debug_info: { host: 'emulator', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: this.appId },
    }));
  }

  private onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return; // Slack ignores what it cannot parse.
    }
    if (typeof msg !== 'object' || msg === null) return;
    const { envelope_id: id, payload } = msg as { envelope_id?: unknown; payload?: unknown };
    const pending = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (!pending) return;
    this.pending.delete(id as string);
    clearTimeout(pending.timer);
    const isObject = typeof payload === 'object' && payload !== null && !Array.isArray(payload);
    // An empty payload is a bare ack(), like Bolt's empty HTTP 200.
    const body = isObject && Object.keys(payload).length > 0 ? JSON.stringify(payload) : '';
    pending.resolve({ status: 200, body, contentType: body ? 'application/json' : '' });
  }

  /** Sends one envelope and waits for its ack, like an HTTP delivery with Slack's deadline. */
  deliver(type: EnvelopeType, payload: Json, acceptsResponsePayload: boolean, ackTimeoutMs: number): Promise<DeliveryResult> {
    const ws = this.connections.at(-1);
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.resolve({ status: 0, body: '', contentType: '', failure: 'dispatch_failed' });
    }
    const envelopeId = randomUUID();
    return new Promise<DeliveryResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        resolve({ status: 0, body: '', contentType: '', failure: 'operation_timeout' });
      }, ackTimeoutMs);
      this.pending.set(envelopeId, { resolve, timer });
      ws.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: acceptsResponsePayload }), (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(envelopeId);
        resolve({ status: 0, body: '', contentType: '', failure: 'dispatch_failed' });
      });
    });
  }

  close(): void {
    clearInterval(this.pinger);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.resolve({ status: 0, body: '', contentType: '', failure: 'dispatch_failed' });
    }
    this.pending.clear();
    for (const ws of [...this.connections]) ws.terminate();
    this.wss.close();
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
