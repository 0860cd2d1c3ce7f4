// Posts a run's report in its thread: the summary as the comment of an upload of
// `<runbook>-<run>.md` and `<runbook>-<run>.json`. Called when a run ends (once per end, across
// replicas, by a marker in Redis) and on `/cutover report`.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Keys } from '../engine/keys.js';
import type { RunStore } from '../engine/run-store.js';
import type { ReportSink } from '../engine/runtime.js';
import { buildReport } from './build-report.js';
import { reportMarkdown } from './markdown.js';
import type { Report } from './schema.js';
import { reportSummary } from './summary.js';
import type { FileUploader } from './upload.js';

const MARKER_TTL_SEC = 30 * 86_400;
const CARD_WAIT_MS = 60_000; // the card is posted by the outbox, usually within a second or two
const CARD_POLL_MS = 250;


export async function loadReport(store: RunStore, runId: string): Promise<Report | null> {
  const run = await store.get(runId);
  return run ? buildReport(run, await store.audit(runId)) : null;
}

export const reportFileName = (r: Report, ext: 'md' | 'json'): string => `${r.run.runbook}-${r.run.id}.${ext}`;

export class ReportPublisher implements ReportSink {
  constructor(private readonly d: { redis: Redis; k: Keys; store: RunStore; uploader: FileUploader; log: Logger; sleep?: (ms: number) => Promise<void> }) {}

  async ended(runId: string): Promise<void> {
    const run = await this.d.store.get(runId);
    if (!run?.endedAt) return;
    const marker = `${this.d.k.run(runId)}:report:${run.endedAt}`;
    if (!(await this.d.redis.set(marker, '1', 'EX', MARKER_TTL_SEC, 'NX'))) return;
    await this.requested(runId);
  }

  async requested(runId: string): Promise<void> {
    const report = await loadReport(this.d.store, runId);
    if (!report) return;
    const run = (await this.d.store.get(runId))!;
    const threadTs = await this.cardTs(runId);
    if (!threadTs) {
      this.d.log.warn({ runId }, 'report not posted: the run card was never posted');
      return;
    }
    const files = [
      { filename: reportFileName(report, 'md'), title: `Report of run ${runId} (Markdown)`, content: reportMarkdown(report) },
      { filename: reportFileName(report, 'json'), title: `Report of run ${runId} (JSON)`, content: `${JSON.stringify(report, null, 2)}\n` },
    ];
    await this.d.uploader.upload({ channel: run.channel, threadTs, comment: reportSummary(report) }, files);
    this.d.log.info({ runId, status: report.run.status }, 'report posted');
  }

  private async cardTs(runId: string): Promise<string | null> {
    const sleep = this.d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let waited = 0; waited <= CARD_WAIT_MS; waited += CARD_POLL_MS) {
      const [ts, failed] = await this.d.redis.hmget(this.d.k.outboxMsg(`${runId}.card`), 'ts', 'failed');
      if (ts) return ts;
      if (failed) return null;
      await sleep(CARD_POLL_MS);
    }
    return null;
  }
}
