/** Branch names map to environments whose names are DNS labels. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { branchSlug, environmentForBranch } from '../../src/config/branches.ts';
import { EnvironmentNameSchema } from '../../src/config/ids.ts';

describe('environmentForBranch', () => {
  it('sends the production branch to production and others to their slug', () => {
    expect(environmentForBranch('main', 'main')).toBe('production');
    expect(environmentForBranch('feature/Login_v2', 'main')).toBe('feature-login-v2');
    expect(environmentForBranch('main', 'trunk')).toBe('main');
  });

  it('never sends another branch to production, whatever its name', () => {
    expect(environmentForBranch('Production', 'main')).toMatch(/^production-[0-9a-f]{6}$/);
  });
});

describe('branchSlug', () => {
  it('keeps a long slug within one DNS label and distinct from a near twin', () => {
    const long = `feature/${'x'.repeat(80)}`;
    expect(branchSlug(long)).toHaveLength(63);
    expect(branchSlug(long)).not.toBe(branchSlug(`${long}y`));
  });

  it('names a branch of only punctuation', () => {
    expect(branchSlug('___')).toMatch(/^branch-[0-9a-f]{6}$/);
  });

  it('always yields a valid environment name', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 120 }), (branch) => {
        expect(EnvironmentNameSchema.safeParse(branchSlug(branch)).success).toBe(true);
      }),
    );
  });
});
