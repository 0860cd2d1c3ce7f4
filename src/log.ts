// pino, JSON, a fixed message plus metadata: log.warn({ runId, stepId, err }, 'step failed').
import { pino, type Logger } from 'pino';
import { redactKnownSecrets } from './lib/known-secrets.js';

export type { Logger };

/** Where log lines go (stdout by default; tests capture them). */
export interface LogDestination {
  write(line: string): unknown;
}

export function createLogger(level = 'info', name = 'tzero', destination: LogDestination = process.stdout): Logger {
  return pino(
    {
      name,
      level,
      // Belt and braces: tokens never reach logs even if someone logs a whole config object.
      redact: { paths: ['*.token', '*.botToken', '*.signingSecret', '*.appToken', 'headers.authorization'], censor: '[redacted]' },
    },
    // Every line, whatever logged it (an error message, a step's metadata), is written with the
    // secret values this process knows masked: one choke point instead of care at each call.
    { write: (line: string) => destination.write(redactKnownSecrets(line)) },
  );
}
