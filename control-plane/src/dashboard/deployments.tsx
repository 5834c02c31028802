/**
 * The deployments section. `GET /deployments`: the environments with their URLs and what
 * each serves, and the selected environment's history (commit, author, message, status,
 * compile errors), newest first, a page at a time. A member who may roll back sees a
 * button on each deployment that was live before; it leads to a confirmation page
 * (`GET /deployments/:id/rollback`) whose form posts the rollback with the CSRF token.
 */
import { DeploymentIdSchema, EnvironmentNameSchema } from '../../../src/config/ids.ts';
import { rollbackFailureProblem } from '../api/failure-problems.ts';
import { deploymentNotFound } from '../api/problems.ts';
import { deploymentView } from '../api/views.ts';
import { formatCompileError } from '../compiler/errors.ts';
import { environmentUrl } from '../deploy/environment-settings.ts';
import { rollback } from '../deploy/rollback.ts';
import { type DeploymentRecord, getDeployment, listDeployments } from '../store/deployments.ts';
import { type EnvironmentRecord, getEnvironment, listEnvironments } from '../store/environments.ts';
import { shortCommit, utcTime } from './format.ts';
import { CsrfField } from './forms.tsx';
import { can, type DashboardContext, problemPage, renderPage } from './page.tsx';
import { type ViewState, viewHref, viewStateOf } from './view-state.ts';

const PAGE_SIZE = 25;
const ROLLBACK_TARGETS = new Set(['superseded', 'rolled_back']);

export async function deploymentsPage(c: DashboardContext) {
  const state = viewStateOf(c.req.query());
  const before = DeploymentIdSchema.safeParse(c.req.query('before')).data;
  const [environments, deployments] = await Promise.all([
    listEnvironments(c.env.DB),
    listDeployments(c.env.DB, {
      environment: state.environment,
      limit: PAGE_SIZE,
      ...(before ? { before } : {}),
    }),
  ]);
  const older = deployments.length === PAGE_SIZE ? deployments.at(-1)!.id : null;
  return renderPage(
    c,
    { title: 'Deployments', section: 'deployments', controls: 'environment', scripts: ['controls.js'] },
    <>
      <h1>Deployments</h1>
      <EnvironmentTable c={c} environments={environments} state={state} />
      <section>
        <h2>History of {state.environment}</h2>
        {deployments.length === 0 ? (
          <p class="muted">No deployments to {state.environment}.</p>
        ) : (
          <HistoryTable c={c} deployments={deployments} state={state} />
        )}
        {older && (
          <p>
            <a href={`${viewHref('/deployments', state)}&before=${older}`}>Older deployments</a>
          </p>
        )}
      </section>
    </>,
  );
}

function EnvironmentTable(props: {
  readonly c: DashboardContext;
  readonly environments: readonly EnvironmentRecord[];
  readonly state: ViewState;
}) {
  const settings = props.c.get('deploy').settings;
  return (
    <section>
      <h2>Environments</h2>
      <table data-environments>
        <thead>
          <tr>
            <th>Environment</th>
            <th>URL</th>
            <th>Serves</th>
            <th>Since (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {props.environments.map((environment) => (
            <tr data-environment={environment.name}>
              <td>
                <a href={viewHref('/deployments', props.state, { environment: environment.name })}>
                  {environment.name}
                </a>
              </td>
              <td>
                <a href={environmentUrl(settings, environment.name)}>
                  {environmentUrl(settings, environment.name)}
                </a>
              </td>
              <td>
                <code data-live-deployment>{environment.liveDeploymentId ?? 'nothing'}</code>
              </td>
              <td>{utcTime(environment.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function HistoryTable(props: {
  readonly c: DashboardContext;
  readonly deployments: readonly DeploymentRecord[];
  readonly state: ViewState;
}) {
  const mayRollBack = can(props.c, 'deployment.rollback');
  const settings = props.c.get('deploy').settings;
  return (
    <table class="history">
      <thead>
        <tr>
          <th>Deployment</th>
          <th>Status</th>
          <th>Commit</th>
          <th>Author</th>
          <th>Message</th>
          <th>Trigger</th>
          {mayRollBack && <th />}
        </tr>
      </thead>
      <tbody>
        {props.deployments.map((record) => {
          const view = deploymentView(record, settings);
          return (
            <tr data-deployment={record.id}>
              <td>
                <code>{record.id}</code>
                <br />
                <span class="muted">{utcTime(record.createdAt)}</span>
              </td>
              <td>
                <span class={`status status-${record.status}`}>{record.status.replace('_', ' ')}</span>
              </td>
              <td>
                <code title={record.commit}>{shortCommit(record.commit)}</code> on {record.branch}
              </td>
              <td>{record.author}</td>
              <td>
                {record.message.split('\n')[0]}
                {'failure' in view && (
                  <details class="errors" open>
                    <summary>{view.failure.detail}</summary>
                    <ul>
                      {view.errors.map((error) => (
                        <li>
                          <code>{formatCompileError(error)}</code>
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </td>
              <td>{record.trigger}</td>
              {mayRollBack && (
                <td>
                  {ROLLBACK_TARGETS.has(record.status) && (
                    <a class="button" href={viewHref(`/deployments/${record.id}/rollback`, props.state)}>
                      Roll back to this
                    </a>
                  )}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** `GET /deployments/:id/rollback`: what the rollback will do, and the form that does it. */
export async function rollbackConfirmationPage(c: DashboardContext) {
  const target = await findDeployment(c.env.DB, c.req.param('id') ?? '');
  const state = viewStateOf(c.req.query());
  const back = viewHref('/deployments', state, { environment: target?.environment ?? state.environment });
  if (!target) return problemPage(c, 'deployments', deploymentNotFound, back);
  const environment = await getEnvironment(c.env.DB, target.environment);
  return renderPage(
    c,
    { title: 'Roll back', section: 'deployments' },
    <section class="confirm">
      <h1>Roll {target.environment} back?</h1>
      <p>
        {target.environment} serves <code>{environment?.liveDeploymentId ?? 'nothing'}</code> now. Rolling
        back makes it serve <code>{target.id}</code> again: commit <code>{shortCommit(target.commit)}</code>{' '}
        by {target.author}, “{target.message.split('\n')[0]}”, deployed {utcTime(target.createdAt)}. The data
        plane picks the change up within seconds.
      </p>
      <form method="post" action={`/deployments/${target.id}/rollback`}>
        <CsrfField token={c.get('csrfToken') ?? ''} />
        <button type="submit" class="danger">
          Roll back {target.environment} to {target.id}
        </button>{' '}
        <a href={back}>Cancel</a>
      </form>
    </section>,
  );
}

/** `POST /deployments/:id/rollback`: rolls its environment back to it, then shows the history. */
export async function rollBack(c: DashboardContext) {
  const target = await findDeployment(c.env.DB, c.req.param('id') ?? '');
  if (!target) return problemPage(c, 'deployments', deploymentNotFound, '/deployments');
  const environment = EnvironmentNameSchema.parse(target.environment);
  const back = `/deployments?${new URLSearchParams({ environment })}`;
  const result = await rollback(
    c.get('deploy'),
    { environment, deploymentId: target.id },
    c.get('principal').actor,
  );
  if (!result.ok)
    return problemPage(c, 'deployments', rollbackFailureProblem(result.error, environment), back);
  return c.redirect(back, 303);
}

async function findDeployment(db: D1Database, id: string): Promise<DeploymentRecord | null> {
  return DeploymentIdSchema.safeParse(id).success ? getDeployment(db, id) : null;
}
