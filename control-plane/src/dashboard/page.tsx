/**
 * Rendering a signed-in page: the member and the environments the frame shows are read
 * here, the view's state comes from the URL, and the page's content goes inside the
 * shell. Also the two pages every section may answer with: a refusal (403, when the
 * member's role is below the action's, through api/auth.ts's `authorize`) and a message
 * (an expected failure, in the words of the API's problem for it).
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { RefusalRenderer } from '../api/auth.ts';
import type { AppEnv } from '../api/context.ts';
import type { ProblemSpec } from '../api/problems.ts';
import { type Action, allows, leastRole } from '../auth/actions.ts';
import { listEnvironments } from '../store/environments.ts';
import { findMember } from '../store/members.ts';
import type { AssetName } from './assets.ts';
import { Layout } from './layout.tsx';
import { type Controls, type Section, Shell } from './shell.tsx';
import { viewStateOf } from './view-state.ts';

export interface PageOptions {
  readonly title: string;
  readonly section: Section;
  readonly controls?: Controls;
  readonly scripts?: readonly AssetName[];
  readonly stylesheets?: readonly AssetName[];
  readonly status?: ContentfulStatusCode;
}

export type DashboardContext = Context<AppEnv>;

/** Whether the signed-in member's role allows `action`: what decides which buttons a page shows. */
export function can(c: DashboardContext, action: Action): boolean {
  return allows(c.get('principal').role, action);
}

export async function renderPage(c: DashboardContext, options: PageOptions, content: Child) {
  const { memberId, role } = c.get('principal');
  const controls = options.controls ?? 'none';
  const [member, environments] = await Promise.all([
    findMember(c.env.DB, memberId!),
    controls === 'none' ? [] : listEnvironments(c.env.DB),
  ]);
  return c.html(
    <Layout title={options.title} scripts={options.scripts} stylesheets={options.stylesheets}>
      <Shell
        section={options.section}
        path={c.req.path}
        state={viewStateOf(c.req.query())}
        controls={controls}
        environments={environments.map((environment) => environment.name)}
        member={{ name: member?.name ?? '', email: member?.email ?? '' }}
        role={role}
        csrfToken={c.get('csrfToken') ?? ''}
      >
        {content}
      </Shell>
    </Layout>,
    options.status ?? 200,
  );
}

/** The 403 page: what the action needs and what the member has. */
export const refusedPage: RefusalRenderer = (c, action, role) =>
  renderPage(
    c,
    { title: 'Not allowed', section: 'overview', status: 403 },
    <section class="message">
      <h1>Not allowed</h1>
      <p>
        This needs the {leastRole(action)} role; your account has the {role} role. Ask an owner or admin if
        you need it.
      </p>
    </section>,
  );

/** An expected failure, told with its problem's title and detail, at its status. */
export function problemPage(c: DashboardContext, section: Section, spec: ProblemSpec, back: string) {
  return renderPage(
    c,
    { title: spec.title, section, status: spec.status as ContentfulStatusCode },
    <section class="message">
      <h1>{spec.title}</h1>
      <p>{spec.detail}</p>
      <p>
        <a href={back}>Back</a>
      </p>
    </section>,
  );
}
