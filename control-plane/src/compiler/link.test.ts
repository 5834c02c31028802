/**
 * Policy phases. Every policy type today runs in both phases, so the check is driven
 * here with a catalog in which set-headers runs inbound only.
 */
import { describe, expect, it } from 'vitest';
import { formatCompileError } from './errors.ts';
import { checkReferences, declarationsOf } from './link.ts';
import { draftsFromConfig } from './route-drafts.ts';
import { parseSourceDocument } from './source-document.ts';
import { lines } from './test-support.ts';

describe('checkReferences', () => {
  it('rejects a policy listed under a phase its type does not support', () => {
    const text = [
      'version: 1',
      'policies:',
      '  tag: { type: set-headers }',
      'routes:',
      '  - path: /x',
      '    mock: {}',
      '    inbound: [tag]',
      '    outbound: [tag]',
    ];
    const { document } = parseSourceDocument('edgeway.yaml', lines(text));
    const errors = checkReferences(
      draftsFromConfig(document, document.value),
      declarationsOf(document.value),
      {
        'set-headers': { phases: ['inbound'] },
      },
    );
    expect(errors.map(formatCompileError)).toEqual([
      'edgeway.yaml:8:16: $.routes[0].outbound[0]: policy "tag" of type "set-headers" cannot run outbound; expected a policy whose type runs outbound (set-headers runs inbound)',
    ]);
  });
});
