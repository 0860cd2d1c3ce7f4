// pino, JSON, a fixed message plus metadata: log.warn({ runId, stepId, err }, 'step failed').
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = 'info', name = 'tzero'): Logger {
  return pino({
    name,
    level,
    // Belt and braces: tokens never reach logs even if someone logs a whole config object.
    redact: { paths: ['*.token', '*.botToken', '*.signingSecret', '*.appToken', 'headers.authorization'], censor: '[redacted]' },
  });
}
