/**
 * The public text of every expected member and token failure. The switch is exhaustive:
 * a new failure reason does not compile until it has its problem here.
 */
import type { MemberFailure } from '../members/failures.ts';
import type { ProblemSpec } from './problems.ts';

export function memberFailureProblem(failure: MemberFailure): ProblemSpec {
  switch (failure.kind) {
    case 'member-not-found':
      return {
        slug: 'member-not-found',
        status: 404,
        title: 'Member not found',
        detail: 'No member has that id or email.',
      };
    case 'member-exists':
      return {
        slug: 'member-exists',
        status: 409,
        title: 'Member exists',
        detail: `${failure.email} is a member already; emails are unique, whatever their case.`,
      };
    case 'role-above-yours':
      return {
        slug: 'forbidden',
        status: 403,
        title: 'Role too low',
        detail: `That needs the ${failure.role} role or above, and you have the ${failure.yours} role: nobody grants a role above their own or changes a member who outranks them.`,
      };
    case 'last-owner':
      return {
        slug: 'last-owner',
        status: 409,
        title: 'Last owner',
        detail: 'That member is the only enabled owner; make another member an owner first.',
      };
    case 'role-above-member':
      return {
        slug: 'role-above-member',
        status: 422,
        title: "Role above the member's",
        detail: `A token's role is at most its member's: the member has the ${failure.memberRole} role, not ${failure.role}.`,
      };
    case 'member-disabled':
      return {
        slug: 'member-disabled',
        status: 409,
        title: 'Member disabled',
        detail: 'That member is disabled; enable them before giving them a token.',
      };
    case 'changed':
      return {
        slug: 'concurrent-change',
        status: 409,
        title: 'Changed meanwhile',
        detail: 'The member changed while this request ran, and nothing was applied. Retry.',
      };
  }
}
