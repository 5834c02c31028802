/**
 * HTTP status ranges as a config writes them: a class (`2xx`), a span (`200-299`) or one
 * code (`404`), all within 100-599. The quota policy counts responses whose status falls
 * in any of its ranges.
 */
import { z } from 'zod';

export interface StatusRange {
  readonly from: number;
  readonly to: number;
}

const CLASS = /^([1-5])xx$/;
const SPAN = /^([1-5][0-9]{2})(?:-([1-5][0-9]{2}))?$/;
const STATUS_RANGE_MESSAGE =
  'expected a status class (2xx), a range (200-299) or a status (404), within 100-599';

export function parseStatusRange(text: string): StatusRange | undefined {
  const statusClass = CLASS.exec(text);
  if (statusClass) {
    const from = Number(statusClass[1]) * 100;
    return { from, to: from + 99 };
  }
  const span = SPAN.exec(text);
  if (!span) return undefined;
  const from = Number(span[1]);
  const to = span[2] === undefined ? from : Number(span[2]);
  return from <= to ? { from, to } : undefined;
}

export const StatusRangeSchema = z
  .string()
  .refine((text) => parseStatusRange(text) !== undefined, STATUS_RANGE_MESSAGE)
  .describe('A status class (2xx), an inclusive range (200-299) or a single status (404).');
