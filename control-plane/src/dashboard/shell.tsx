/**
 * The frame of every signed-in page: the navigation (only the sections the member's role
 * may open), the environment selector and range picker of the pages that have them
 * (links and a GET form, so the view's state stays in the URL), who is signed in with
 * which role, and the sign-out form.
 */
import type { Child } from 'hono/jsx';
import { RANGES } from '../analytics/ranges.ts';
import { type Action, allows } from '../auth/actions.ts';
import type { Role } from '../auth/roles.ts';
import { CsrfField } from './forms.tsx';
import { RANGE_LABELS, type ViewState, viewHref } from './view-state.ts';

export type Section = 'overview' | 'traffic' | 'deployments' | 'consumers' | 'team' | 'audit';

const SECTIONS: readonly { section: Section; label: string; path: string; action: Action }[] = [
  { section: 'overview', label: 'Overview', path: '/', action: 'analytics.read' },
  { section: 'traffic', label: 'Traffic', path: '/traffic', action: 'analytics.read' },
  { section: 'deployments', label: 'Deployments', path: '/deployments', action: 'deployment.read' },
  { section: 'consumers', label: 'Consumers', path: '/consumers', action: 'consumer.read' },
  { section: 'team', label: 'Team', path: '/team', action: 'member.read' },
  { section: 'audit', label: 'Audit log', path: '/audit', action: 'audit.read' },
];

/** Which view controls a page shows: none, the environment selector, or it and the range picker. */
export type Controls = 'none' | 'environment' | 'environment-and-range';

export interface ShellProps {
  readonly section: Section;
  /** The page's path, which the controls link back to. */
  readonly path: string;
  readonly state: ViewState;
  readonly controls: Controls;
  readonly environments: readonly string[];
  readonly member: { readonly name: string; readonly email: string };
  readonly role: Role;
  readonly csrfToken: string;
  readonly children: Child;
}

export function Shell(props: ShellProps) {
  const { state, role } = props;
  return (
    <>
      <header class="topbar">
        <a class="brand" href={viewHref('/', state)}>
          Edgeway
        </a>
        <nav class="sections" aria-label="Sections">
          {SECTIONS.filter((item) => allows(role, item.action)).map((item) => (
            <a
              href={viewHref(item.path, state)}
              aria-current={item.section === props.section ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <div class="account">
          <span class="who">
            {props.member.name} ({props.member.email}), {role}
          </span>
          <form method="post" action="/auth/logout">
            <CsrfField token={props.csrfToken} />
            <button type="submit" class="link-button">
              Sign out
            </button>
          </form>
        </div>
      </header>
      {props.controls !== 'none' && <ViewControls {...props} />}
      <main>{props.children}</main>
    </>
  );
}

function ViewControls({ path, state, controls, environments }: ShellProps) {
  const names = environments.includes(state.environment)
    ? environments
    : [state.environment, ...environments];
  return (
    <div class="view-controls">
      <form method="get" action={path} class="environment-form">
        <label>
          Environment{' '}
          <select name="environment" data-auto-submit>
            {names.map((name) => (
              <option value={name} selected={name === state.environment}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <input type="hidden" name="range" value={state.range} />
        <button type="submit" class="secondary">
          Show
        </button>
      </form>
      {controls === 'environment-and-range' && (
        <nav class="range-picker" aria-label="Time range">
          {RANGES.map((range) => (
            <a
              href={viewHref(path, state, { range }, true)}
              aria-current={range === state.range ? 'true' : undefined}
              title={RANGE_LABELS[range]}
            >
              {range}
            </a>
          ))}
        </nav>
      )}
    </div>
  );
}
