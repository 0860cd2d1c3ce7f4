// GET /metrics: Prometheus text exposition of this tzero's registry. With METRICS_TOKEN set the
// scraper must send `Authorization: Bearer <token>` (Prometheus: `authorization.credentials_file`).
import type { CustomRoute } from '@slack/bolt';
import { bearerMatches } from '../alerts/bearer.js';
import type { Logger } from '../log.js';
import type { Metrics } from './metrics.js';

export const METRICS_PATH = '/metrics';

export function metricsRoute(metrics: Pick<Metrics, 'registry'>, token: string | undefined, log: Logger): CustomRoute {
  return {
    path: METRICS_PATH,
    method: ['GET'],
    handler: (req, res) => {
      if (token && !bearerMatches(req.headers.authorization, token)) {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
        return void res.end('invalid bearer token\n');
      }
      metrics.registry.metrics().then(
        (text) => {
          // Prometheus 3 refuses a scrape without a Content-Type it knows.
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        },
        (err: unknown) => {
          log.error({ err }, 'metrics: collection failed');
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('metrics collection failed\n');
        },
      );
    },
  };
}
