/**
 * The HTML shell of the control plane's server-rendered pages (Hono JSX): the document,
 * the dashboard's stylesheet, and the scripts a page asks for (served by assets.ts; the
 * pages' Content-Security-Policy allows no inline script). The signed-in pages wrap
 * their content in shell.tsx's header and navigation.
 */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { type AssetName, assetPath } from './assets.ts';

export interface LayoutProps {
  readonly title: string;
  readonly children: Child;
  /** Loaded in this order, after the page is parsed. */
  readonly scripts?: readonly AssetName[];
  readonly stylesheets?: readonly AssetName[];
}

export function Layout({ title, children, scripts = [], stylesheets = [] }: LayoutProps) {
  // The doctype keeps browsers out of quirks mode (where tables do not inherit font sizes).
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · Edgeway`}</title>
          {[...stylesheets, 'dashboard.css' as const].map((name) => (
            <link rel="stylesheet" href={assetPath(name)} />
          ))}
          {scripts.map((name) => (
            <script src={assetPath(name)} defer />
          ))}
        </head>
        <body>{children}</body>
      </html>
    </>
  );
}
