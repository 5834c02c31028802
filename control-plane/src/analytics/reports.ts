/**
 * The analytics reports the API answers and the dashboard draws, read from the rollups
 * the Queue consumer keeps: the overview (totals, a time series with a step per range,
 * and the deployments made in the range, for chart markers) and a breakdown by route,
 * consumer or status code, busiest first. One place, so a page and the JSON it links
 * to always agree.
 */
import {
  deploymentsBetween,
  type RollupFilter,
  recentEvents,
  sumRollups,
} from '../store/analytics-queries.ts';
import { type Range, type Window, windowOf } from './ranges.ts';
import { mergeTotals, seriesOf, summarise } from './summary.ts';

const MAX_DEPLOYMENT_MARKERS = 200;
export const DEFAULT_ENVIRONMENT = 'production';
export const DEFAULT_RANGE: Range = '24h';

export interface ReportQuery {
  readonly environment?: string | undefined;
  readonly range?: Range | undefined;
  /** Only this route's requests ('' for requests no route matched). */
  readonly route?: string | undefined;
  /** Only this consumer's requests ('' for anonymous ones). */
  readonly consumer?: string | undefined;
}

export type BreakdownDimension = 'route' | 'consumer' | 'status';

interface Scope {
  readonly environment: string;
  readonly range: Range;
  readonly window: Window;
  readonly filter: RollupFilter;
}

function scopeOf(query: ReportQuery, now: number): Scope {
  const environment = query.environment ?? DEFAULT_ENVIRONMENT;
  const range = query.range ?? DEFAULT_RANGE;
  const window = windowOf(range, now);
  const filter = { environment, ...window, route: query.route, consumer: query.consumer };
  return { environment, range, window, filter };
}

function describeScope({ environment, range, window }: Scope) {
  return {
    environment,
    range,
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    stepSeconds: window.stepMs / 1000,
  };
}

export async function overviewReport(db: D1Database, query: ReportQuery, now: number) {
  const scope = scopeOf(query, now);
  const described = describeScope(scope);
  const [slots, deployments] = await Promise.all([
    sumRollups(db, scope.filter, { by: 'slot', stepMs: scope.window.stepMs }),
    deploymentsBetween(db, scope.environment, described.from, described.to, MAX_DEPLOYMENT_MARKERS),
  ]);
  return {
    ...described,
    totals: summarise(mergeTotals(slots)),
    series: seriesOf(scope.window, slots),
    deployments,
  };
}

export type OverviewReport = Awaited<ReturnType<typeof overviewReport>>;

export async function breakdownReport(
  db: D1Database,
  query: ReportQuery & { readonly by: BreakdownDimension; readonly limit: number },
  now: number,
) {
  const scope = scopeOf(query, now);
  const groups = await sumRollups(db, scope.filter, { by: query.by }, query.limit);
  const rows = groups.map((group) => ({
    key: group.key === '' ? null : group.key,
    ...(query.by === 'consumer' && group.key !== '' ? { name: group.name } : {}),
    ...summarise(group),
  }));
  return { ...describeScope(scope), by: query.by, rows };
}

export type BreakdownReport = Awaited<ReturnType<typeof breakdownReport>>;

export async function recentRequestsReport(db: D1Database, environment: string | undefined, limit: number) {
  const name = environment ?? DEFAULT_ENVIRONMENT;
  return { environment: name, requests: await recentEvents(db, name, limit) };
}
