/**
 * `GET /`: the overview of one environment over one range: requests, error rate, latency
 * percentiles, rate-limited and auth-rejected counts, and time-series charts with the
 * deployments of the range marked on them, optionally for one route or consumer (from a
 * Traffic row). The figures are rendered on the server; the charts are drawn in the
 * browser by uPlot from the same report, embedded in the page as JSON.
 */
import type { Child } from 'hono/jsx';
import { type OverviewReport, overviewReport } from '../analytics/reports.ts';
import { count, latency, percent, shortCommit, utcTime } from './format.ts';
import { type DashboardContext, renderPage } from './page.tsx';
import { RANGE_LABELS, type ViewState, viewHref, viewStateOf } from './view-state.ts';

export async function overviewPage(c: DashboardContext) {
  const state = viewStateOf(c.req.query());
  const report = await overviewReport(c.env.DB, state, Date.now());
  return renderPage(
    c,
    {
      title: 'Overview',
      section: 'overview',
      controls: 'environment-and-range',
      scripts: ['uPlot.js', 'charts.js', 'controls.js'],
      stylesheets: ['uPlot.css'],
    },
    <>
      <h1>
        {state.environment}: {RANGE_LABELS[state.range].toLowerCase()}
      </h1>
      <Filters state={state} />
      <Totals report={report} />
      <script
        type="application/json"
        id="overview-data"
        dangerouslySetInnerHTML={{ __html: embeddedJson(chartData(report)) }}
      />
      <div class="charts">
        <Chart name="requests" caption="Requests and 5xx errors per step" />
        <Chart name="latency" caption="Latency p50 / p95 / p99 (ms)" />
        <Chart name="refusals" caption="Rate-limited and auth-rejected requests" />
      </div>
      <Deployments report={report} />
    </>,
  );
}

function Filters({ state }: { readonly state: ViewState }) {
  const filters: Child[] = [];
  if (state.route !== undefined) filters.push(<>route {state.route || '(no route)'}</>);
  if (state.consumer !== undefined) filters.push(<>consumer {state.consumer || '(anonymous)'}</>);
  if (filters.length === 0) return null;
  return (
    <p class="filters">
      Only {filters} · <a href={viewHref('/', state)}>show all traffic</a>
    </p>
  );
}

function Totals({ report }: { readonly report: OverviewReport }) {
  const { totals } = report;
  const figures: [string, string, string][] = [
    ['requests', 'Requests', count(totals.requests)],
    ['error-rate', 'Error rate (5xx)', `${percent(totals.errorRate)} (${count(totals.errors)})`],
    ['p50', 'p50 latency', latency(totals.latencyMs?.p50)],
    ['p95', 'p95 latency', latency(totals.latencyMs?.p95)],
    ['p99', 'p99 latency', latency(totals.latencyMs?.p99)],
    ['rate-limited', 'Rate-limited', count(totals.rateLimited)],
    ['auth-rejected', 'Auth-rejected', count(totals.authRejected)],
  ];
  return (
    <dl class="totals">
      {figures.map(([key, label, value]) => (
        <div data-figure={key}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Chart({ name, caption }: { readonly name: string; readonly caption: string }) {
  return (
    <figure class="chart">
      <figcaption>{caption}</figcaption>
      <div data-chart={name} />
    </figure>
  );
}

function Deployments({ report }: { readonly report: OverviewReport }) {
  if (report.deployments.length === 0)
    return <p class="muted">No deployments to {report.environment} in this range.</p>;
  return (
    <section>
      <h2>Deployments in this range</h2>
      <ul class="deployment-markers">
        {report.deployments.map((deployment) => (
          <li>
            <time datetime={deployment.createdAt}>{utcTime(deployment.createdAt)}</time>{' '}
            <code>{deployment.id}</code> {shortCommit(deployment.commit)} by {deployment.author}:{' '}
            {deployment.message.split('\n')[0]}{' '}
            <span class={`status status-${deployment.status}`}>{deployment.status}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The report's series as columns, times in seconds, for charts.js. */
function chartData(report: OverviewReport) {
  const { series } = report;
  return {
    stepSeconds: report.stepSeconds,
    time: series.map((point) => Date.parse(point.time) / 1000),
    requests: series.map((point) => point.requests),
    errors: series.map((point) => point.errors),
    p50: series.map((point) => point.latencyMs?.p50 ?? null),
    p95: series.map((point) => point.latencyMs?.p95 ?? null),
    p99: series.map((point) => point.latencyMs?.p99 ?? null),
    rateLimited: series.map((point) => point.rateLimited),
    authRejected: series.map((point) => point.authRejected),
    deployments: report.deployments.map((deployment) => ({
      time: Date.parse(deployment.createdAt) / 1000,
      label: shortCommit(deployment.commit),
    })),
  };
}

/** JSON safe inside a <script> element: no `<` can close it. */
function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}
