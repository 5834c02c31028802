/**
 * The dashboard's pages and form actions, each behind the same guard: the page headers
 * (CSP, no framing), a session (else to the sign-in page; a mutation must also pass the
 * CSRF checks), the deploy context the work runs against, and `authorize(action)`, the
 * one role check the API uses too, refusing with the 403 page. Every mutation is a POST.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import { authorize } from '../api/auth.ts';
import type { AppEnv } from '../api/context.ts';
import { type DeployContextOptions, deployContext } from '../api/deploy-context.ts';
import type { Action } from '../auth/actions.ts';
import { auditPage } from './audit.tsx';
import { consumersPage, createConsumerAction } from './consumers.tsx';
import { deploymentsPage, rollBack, rollbackConfirmationPage } from './deployments.tsx';
import { consumerPage, createKeyAction, revokeKeyAction, rollKeyAction } from './keys.tsx';
import { overviewPage } from './overview.tsx';
import { refusedPage } from './page.tsx';
import { requireSession } from './session.ts';
import { inviteAction, removeAction, setRoleAction, teamPage } from './team.tsx';
import { createTokenAction, revokeTokenAction } from './team-tokens.tsx';
import { trafficPage } from './traffic.tsx';

export function dashboardRoutes(context: DeployContextOptions, pageHeaders: MiddlewareHandler): Hono<AppEnv> {
  const attachDeployContext = deployContext(context);
  const allowed = (action: Action) =>
    every(pageHeaders, requireSession, attachDeployContext, authorize(action, refusedPage));

  return new Hono<AppEnv>()
    .get('/', allowed('analytics.read'), overviewPage)
    .get('/traffic', allowed('analytics.read'), trafficPage)
    .get('/deployments', allowed('deployment.read'), deploymentsPage)
    .get('/deployments/:id/rollback', allowed('deployment.rollback'), rollbackConfirmationPage)
    .post('/deployments/:id/rollback', allowed('deployment.rollback'), rollBack)
    .get('/consumers', allowed('consumer.read'), consumersPage)
    .post('/consumers', allowed('consumer.write'), createConsumerAction)
    .get('/consumers/:name', allowed('consumer.read'), consumerPage)
    .post('/consumers/:name/keys', allowed('key.write'), createKeyAction)
    .post('/keys/:id/roll', allowed('key.write'), rollKeyAction)
    .post('/keys/:id/revoke', allowed('key.write'), revokeKeyAction)
    .get('/team', allowed('member.read'), teamPage)
    .post('/team/members', allowed('member.invite'), inviteAction)
    .post('/team/members/:id/role', allowed('member.role.set'), setRoleAction)
    .post('/team/members/:id/remove', allowed('member.remove'), removeAction)
    .post('/team/tokens', allowed('token.create'), createTokenAction)
    .post('/team/tokens/:id/revoke', allowed('token.revoke'), revokeTokenAction)
    .get('/audit', allowed('audit.read'), auditPage);
}
