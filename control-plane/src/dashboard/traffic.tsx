/**
 * `GET /traffic`: where the environment's traffic went over the range, by route, by
 * consumer and by status code (busiest first; a route or consumer links to the overview
 * of its own traffic), and the live table of its newest requests, which live-requests.js
 * refreshes from the analytics API every few seconds.
 */
import type { AnalyticsEvent } from '../../../src/config/analytics-event.ts';
import {
  type BreakdownDimension,
  type BreakdownReport,
  breakdownReport,
  recentRequestsReport,
} from '../analytics/reports.ts';
import { count, latency, percent, utcTime } from './format.ts';
import { type DashboardContext, renderPage } from './page.tsx';
import { RANGE_LABELS, type ViewState, viewHref, viewStateOf } from './view-state.ts';

const ROWS_PER_BREAKDOWN = 20;
const RECENT_REQUESTS = 50;

const DIMENSIONS: readonly { by: BreakdownDimension; title: string; column: string }[] = [
  { by: 'route', title: 'By route', column: 'Route' },
  { by: 'consumer', title: 'By consumer', column: 'Consumer' },
  { by: 'status', title: 'By status code', column: 'Status' },
];

export async function trafficPage(c: DashboardContext) {
  const state = viewStateOf(c.req.query());
  const now = Date.now();
  const query = { environment: state.environment, range: state.range, limit: ROWS_PER_BREAKDOWN };
  const [breakdowns, recent] = await Promise.all([
    Promise.all(DIMENSIONS.map(({ by }) => breakdownReport(c.env.DB, { ...query, by }, now))),
    recentRequestsReport(c.env.DB, state.environment, RECENT_REQUESTS),
  ]);
  const source = `/api/v1/analytics/requests?${new URLSearchParams({
    environment: state.environment,
    limit: String(RECENT_REQUESTS),
  })}`;
  return renderPage(
    c,
    {
      title: 'Traffic',
      section: 'traffic',
      controls: 'environment-and-range',
      scripts: ['controls.js', 'live-requests.js'],
    },
    <>
      <h1>
        {state.environment}: traffic, {RANGE_LABELS[state.range].toLowerCase()}
      </h1>
      <div class="breakdowns">
        {DIMENSIONS.map((dimension, index) => (
          <Breakdown {...dimension} report={breakdowns[index]!} state={state} />
        ))}
      </div>
      <section>
        <h2>
          Recent requests <span class="live-status muted" data-live-status />
        </h2>
        <table class="requests" data-live-requests={source}>
          <thead>
            <tr>
              <th>Time (UTC)</th>
              <th>Method</th>
              <th>Route</th>
              <th>Status</th>
              <th>Outcome</th>
              <th>Consumer</th>
              <th class="number">Latency</th>
              <th>Request id</th>
            </tr>
          </thead>
          <tbody>
            {recent.requests.map((event) => (
              <RequestRow event={event} />
            ))}
          </tbody>
        </table>
        <p class="muted" data-live-empty hidden={recent.requests.length > 0}>
          No requests yet.
        </p>
      </section>
    </>,
  );
}

function Breakdown(props: {
  readonly by: BreakdownDimension;
  readonly title: string;
  readonly column: string;
  readonly report: BreakdownReport;
  readonly state: ViewState;
}) {
  return (
    <section data-breakdown={props.by}>
      <h2>{props.title}</h2>
      {props.report.rows.length === 0 ? (
        <p class="muted">No requests in this range.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{props.column}</th>
              <th class="number">Requests</th>
              <th class="number">5xx</th>
              <th class="number">p95</th>
              <th class="number">Rate-limited</th>
              <th class="number">Auth-rejected</th>
            </tr>
          </thead>
          <tbody>
            {props.report.rows.map((row) => (
              <tr>
                <td>
                  <RowLabel by={props.by} row={row} state={props.state} />
                </td>
                <td class="number">{count(row.requests)}</td>
                <td class="number">{percent(row.errorRate)}</td>
                <td class="number">{latency(row.latencyMs?.p95)}</td>
                <td class="number">{count(row.rateLimited)}</td>
                <td class="number">{count(row.authRejected)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A route or consumer links to the overview of its own traffic; a status code is just shown. */
function RowLabel({
  by,
  row,
  state,
}: {
  readonly by: BreakdownDimension;
  readonly row: BreakdownReport['rows'][number];
  readonly state: ViewState;
}) {
  const key = row.key === null ? '' : String(row.key);
  switch (by) {
    case 'status':
      return <>{key}</>;
    case 'route':
      return <a href={viewHref('/', state, { route: key })}>{key || '(no route matched)'}</a>;
    case 'consumer':
      return (
        <a href={viewHref('/', state, { consumer: key })}>
          {'name' in row && row.name ? row.name : key || '(anonymous)'}
        </a>
      );
  }
}

function RequestRow({ event }: { readonly event: AnalyticsEvent }) {
  return (
    <tr>
      <td>
        <time datetime={new Date(event.time).toISOString()}>{utcTime(event.time).slice(11, 19)}</time>
      </td>
      <td>{event.method}</td>
      <td>{event.route ?? '(no route)'}</td>
      <td>{event.status}</td>
      <td>
        <span class={`outcome outcome-${event.outcome}`}>{event.outcome}</span>
      </td>
      <td>{event.consumerName ?? ''}</td>
      <td class="number">{latency(event.latencyMs)}</td>
      <td>
        <code>{event.requestId}</code>
      </td>
    </tr>
  );
}
