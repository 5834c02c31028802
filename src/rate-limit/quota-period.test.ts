/** Quota periods are UTC calendar hours, days and months; usage resets at each start. */
import { describe, expect, it } from 'vitest';
import { periodBounds, settleQuota } from './quota-period.ts';

const at = (iso: string) => Date.parse(iso);

describe('periodBounds', () => {
  it('puts the last millisecond of an hour, day or month in that period and the next in the next', () => {
    expect(periodBounds('hour', at('2026-11-26T13:59:59.999Z'))).toEqual({
      start: at('2026-11-26T13:00:00Z'),
      end: at('2026-11-26T14:00:00Z'),
    });
    expect(periodBounds('hour', at('2026-11-26T14:00:00Z')).start).toBe(at('2026-11-26T14:00:00Z'));
    expect(periodBounds('day', at('2026-11-26T23:59:59.999Z'))).toEqual({
      start: at('2026-11-26T00:00:00Z'),
      end: at('2026-11-27T00:00:00Z'),
    });
    expect(periodBounds('month', at('2026-11-30T23:59:59.999Z'))).toEqual({
      start: at('2026-11-01T00:00:00Z'),
      end: at('2026-12-01T00:00:00Z'),
    });
  });

  it('rolls a day and a month over the end of a year, and knows leap February', () => {
    expect(periodBounds('day', at('2026-12-31T12:00:00Z')).end).toBe(at('2027-01-01T00:00:00Z'));
    expect(periodBounds('month', at('2026-12-15T00:00:00Z')).end).toBe(at('2027-01-01T00:00:00Z'));
    expect(periodBounds('month', at('2028-02-29T10:00:00Z'))).toEqual({
      start: at('2028-02-01T00:00:00Z'),
      end: at('2028-03-01T00:00:00Z'),
    });
  });
});

describe('settleQuota', () => {
  const hourly = { period: 'hour', allowance: 2 } as const;
  const now = at('2026-11-26T13:30:00Z');
  const hourStart = at('2026-11-26T13:00:00Z');

  it('counts on add, not on check, and never reports a negative remainder', () => {
    const first = settleQuota(undefined, { ...hourly, op: 'add' }, now);
    expect(first).toEqual({
      usage: { start: hourStart, used: 1 },
      used: 1,
      remaining: 1,
      resetAt: at('2026-11-26T14:00:00Z'),
    });
    expect(settleQuota(first.usage, { ...hourly, op: 'check' }, now)).toMatchObject({
      used: 1,
      remaining: 1,
    });
    const third = settleQuota({ start: hourStart, used: 2 }, { ...hourly, op: 'add' }, now);
    expect(third).toMatchObject({ used: 3, remaining: 0 });
  });

  it('starts from zero in a new period, whatever the last one used', () => {
    const lastHour = { start: hourStart, used: 2 };
    const next = settleQuota(lastHour, { ...hourly, op: 'check' }, at('2026-11-26T14:00:00Z'));
    expect(next).toEqual({
      usage: { start: at('2026-11-26T14:00:00Z'), used: 0 },
      used: 0,
      remaining: 2,
      resetAt: at('2026-11-26T15:00:00Z'),
    });
  });
});
