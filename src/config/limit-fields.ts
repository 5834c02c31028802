/**
 * Option fields the `rate-limit` and `quota` policies share, so both describe a window
 * and a failing zone the same way. Windows stay strings in the options (a compiled
 * deployment's options are parsed again once its secrets are filled in, so the output
 * must parse like the input); `parseDuration` turns one into milliseconds.
 */
import { z } from 'zod';

const SECOND_MS = 1_000;
const UNIT_MS = { s: SECOND_MS, m: 60 * SECOND_MS, h: 3_600 * SECOND_MS, d: 86_400 * SECOND_MS } as const;
const MIN_WINDOW_MS = SECOND_MS;
const MAX_WINDOW_MS = UNIT_MS.d;

const DURATION = /^([1-9][0-9]{0,5})([smhd])$/;
const DURATION_MESSAGE = 'expected a duration such as 1s, 90s, 15m, 2h or 1d, between 1 second and 1 day';

/** Milliseconds of `text` (`90s`, `15m`, ...), or undefined when it is not a duration of 1 s to 1 d. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms >= MIN_WINDOW_MS && ms <= MAX_WINDOW_MS ? ms : undefined;
}

export const WindowSchema = z
  .string()
  .refine((text) => parseDuration(text) !== undefined, DURATION_MESSAGE)
  .describe(
    'The sliding window: a whole number and a unit (s, m, h, d), e.g. 1s, 10s, 1m, 90s, 15m, 2h, 1d; 1 second to 1 day.',
  );

export const ZoneErrorSchema = z
  .enum(['allow', 'deny'])
  .default('allow')
  .describe(
    'When the rate-limit zone fails or does not answer within ZONE_TIMEOUT_MS (wrangler.toml, 1 s): allow lets the request pass uncounted; deny answers 503 with Retry-After.',
  );
