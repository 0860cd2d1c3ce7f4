// One validation problem: where (a field path) and what. Formatted as "file:line:col path: message".
import type { FieldPath } from './positions.js';

export interface Problem {
  path: FieldPath;
  message: string;
  /** Point at the field's key (unknown fields) rather than its value. */
  atKey?: boolean;
}
