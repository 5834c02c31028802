/**
 * The page that shows a secret the control plane has just made and keeps only a hash of
 * (an API key, an API token, a generated password): shown this once, in the answer to
 * the form that made it, never in a URL, and with `cache-control: no-store` (the session
 * middleware's) so going back does not show it again.
 */
import type { Child } from 'hono/jsx';
import { type DashboardContext, renderPage } from './page.tsx';
import type { Section } from './shell.tsx';

export interface SecretOnceProps {
  readonly title: string;
  readonly section: Section;
  /** What the secret is, e.g. "API key for acme-mobile". */
  readonly label: string;
  readonly secret: string;
  readonly note?: Child;
  readonly back: { readonly href: string; readonly text: string };
}

export function secretOncePage(c: DashboardContext, props: SecretOnceProps) {
  return renderPage(
    c,
    { title: props.title, section: props.section, status: 201 },
    <section class="secret-once">
      <h1>{props.title}</h1>
      <p>{props.label}:</p>
      <p>
        <output class="secret" data-secret>
          {props.secret}
        </output>
      </p>
      <p class="warning" role="note">
        Copy it now: it will not be shown again. Only a hash of it is kept.
      </p>
      {props.note && <p>{props.note}</p>}
      <p>
        <a href={props.back.href}>{props.back.text}</a>
      </p>
    </section>,
  );
}
