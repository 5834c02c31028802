/**
 * Cross-reference checks over route drafts: every upstream and policy a route names is
 * declared, and every policy runs in a phase its type supports. Source-agnostic: routes
 * from any document are checked against the declarations of edgeway.yaml, and a
 * declaration no route names is a warning.
 */
import { isPolicyType, type PolicyPhase, policyCatalog } from '../../../src/config/policy-catalog.ts';
import { type CompileError, errorAt } from './errors.ts';
import { unknownReference, unsupportedPhase, unusedDeclaration } from './messages.ts';
import { field, isRecord } from './plain-value.ts';
import type { RouteDraft } from './route-drafts.ts';
import type { SourceDocument } from './source-document.ts';

export interface Declarations {
  readonly upstreams: readonly string[];
  /** Policy name to its type, when the type is a known one. */
  readonly policies: ReadonlyMap<string, string | undefined>;
}

export type PhaseCatalog = Readonly<Record<string, { readonly phases: readonly PolicyPhase[] }>>;

/**
 * What edgeway.yaml declares, read leniently: a declared name counts even if its entry
 * is invalid (that is reported on the entry, not on every route that uses it).
 */
export function declarationsOf(config: unknown): Declarations {
  const upstreams = field(config, 'upstreams');
  const policies = field(config, 'policies');
  const policyTypes = Object.entries(isRecord(policies) ? policies : {}).map(([name, policy]) => {
    const type = field(policy, 'type');
    return [name, typeof type === 'string' && isPolicyType(type) ? type : undefined] as const;
  });
  return { upstreams: isRecord(upstreams) ? Object.keys(upstreams) : [], policies: new Map(policyTypes) };
}

export function checkReferences(
  drafts: readonly RouteDraft[],
  declared: Declarations,
  catalog: PhaseCatalog = policyCatalog,
): CompileError[] {
  return drafts.flatMap(({ route, document, path }) => {
    const errors: CompileError[] = [];
    if (route.upstream !== undefined && !declared.upstreams.includes(route.upstream)) {
      errors.push(
        errorAt(
          document,
          [...path, 'upstream'],
          unknownReference('upstream', route.upstream, declared.upstreams),
        ),
      );
    }
    for (const phase of ['inbound', 'outbound'] as const) {
      route[phase].forEach((name, index) => {
        const at = [...path, phase, index];
        if (!declared.policies.has(name)) {
          errors.push(errorAt(document, at, unknownReference('policy', name, [...declared.policies.keys()])));
          return;
        }
        const type = declared.policies.get(name);
        const phases = type === undefined ? undefined : catalog[type]?.phases;
        if (type !== undefined && phases && !phases.includes(phase)) {
          errors.push(errorAt(document, at, unsupportedPhase(name, type, phase, phases)));
        }
      });
    }
    return errors;
  });
}

/** Warnings for the upstreams and policies of `document` (edgeway.yaml) that no route names, at the name's key. */
export function findUnusedDeclarations(
  document: SourceDocument,
  declared: Declarations,
  drafts: readonly RouteDraft[],
): CompileError[] {
  const routes = drafts.map(({ route }) => route);
  const unused = (
    kind: 'upstream' | 'policy',
    names: readonly string[],
    used: ReadonlySet<string | undefined>,
  ) =>
    names
      .filter((name) => !used.has(name))
      .map((name) => errorAt(document, [SECTIONS[kind], name], unusedDeclaration(kind, name), 'key'));
  return [
    ...unused('upstream', declared.upstreams, new Set(routes.map((route) => route.upstream))),
    ...unused(
      'policy',
      [...declared.policies.keys()],
      new Set(routes.flatMap((route) => [...route.inbound, ...route.outbound])),
    ),
  ];
}

const SECTIONS = { upstream: 'upstreams', policy: 'policies' } as const;
