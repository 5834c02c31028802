/**
 * What a dashboard view shows, kept in its URL's query so a link reproduces the view:
 * the environment, the time range and, on the overview, a route or consumer filter. A
 * value the dashboard cannot read (an edited link) falls back to its default rather than
 * failing the page. `viewHref` builds links that carry the state from page to page.
 */
import { z } from 'zod';
import { EnvironmentNameSchema } from '../../../src/config/ids.ts';
import { RANGES, type Range } from '../analytics/ranges.ts';
import { DEFAULT_ENVIRONMENT, DEFAULT_RANGE } from '../analytics/reports.ts';

export interface ViewState {
  readonly environment: string;
  readonly range: Range;
  /** Only this route's traffic ('' for requests no route matched); absent for all. */
  readonly route?: string | undefined;
  /** Only this consumer's traffic (its id; '' for anonymous requests); absent for all. */
  readonly consumer?: string | undefined;
}

export const RANGE_LABELS: Readonly<Record<Range, string>> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};

const ViewQuery = z.object({
  environment: z
    .string()
    .refine((name) => EnvironmentNameSchema.safeParse(name).success)
    .catch(DEFAULT_ENVIRONMENT)
    .default(DEFAULT_ENVIRONMENT),
  range: z.enum(RANGES).catch(DEFAULT_RANGE).default(DEFAULT_RANGE),
  route: z.string().max(1024).optional().catch(undefined),
  consumer: z.string().max(256).optional().catch(undefined),
});

export function viewStateOf(query: Readonly<Record<string, string>>): ViewState {
  return ViewQuery.parse(query);
}

/**
 * `path` with the view's environment and range, and its filters unless `keepFilters` is
 * false; `changes` replace any of them (undefined drops a filter).
 */
export function viewHref(
  path: string,
  state: ViewState,
  changes: Partial<ViewState> = {},
  keepFilters = false,
): string {
  const next: ViewState = {
    ...state,
    ...(keepFilters ? {} : { route: undefined, consumer: undefined }),
    ...changes,
  };
  const query = new URLSearchParams({ environment: next.environment, range: next.range });
  if (next.route !== undefined) query.set('route', next.route);
  if (next.consumer !== undefined) query.set('consumer', next.consumer);
  return `${path}?${query}`;
}
