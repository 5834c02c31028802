/**
 * `edgeway members`: the team that signs in to the dashboard and owns API tokens. Lists
 * members, invites one (printing a generated password once, or taking one from stdin),
 * sets a member's role, disables, enables and removes one. Values are checked with the
 * control plane's own rules before anything is sent.
 */
import { text } from 'node:stream/consumers';
import { RoleSchema } from '../../control-plane/src/auth/roles.ts';
import { EmailSchema, MemberNameSchema, PasswordSchema } from '../../control-plane/src/members/fields.ts';
import { checkAction, checked } from '../lib/checked.ts';
import type { Command, ParsedInput } from '../lib/command.ts';
import { UsageError } from '../lib/errors.ts';
import { table, timestamp } from '../lib/format.ts';
import {
  inviteMember,
  listMembers,
  type MemberRole,
  removeMember,
  setMemberDisabled,
  setMemberRole,
} from '../lib/members-api.ts';
import { connect, connectionOptions, stringValue } from '../lib/options.ts';

/** The options each action takes, besides the connection's. */
const ACTION_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  list: ['json'],
  invite: ['role', 'name', 'password-stdin', 'json'],
  role: [],
  disable: [],
  enable: [],
  remove: [],
};

export const membersCommand: Command = {
  name: 'members',
  usage: 'edgeway members [list|invite|role|disable|enable|remove] [email] [role] [options]',
  summary: 'List, invite, change the role of, disable, enable or remove team members.',
  description: `Members sign in to the dashboard with their email and password, and own API tokens.
Roles, each allowing what the one before it does: viewer (reads), deployer (deploys, rolls
back, sets environment values), admin (tokens, consumers and keys, repositories, invites
members), owner (sets roles; only an owner makes owners). Nobody grants a role above their
own, and the last enabled owner cannot be demoted, disabled or removed.

"invite" prints a generated password once, unless --password-stdin reads one (at least 12
characters) from stdin. "role" needs an owner's token. Disabling a member ends their
sessions and stops their tokens until they are enabled; removing one also revokes their
tokens. The first owner is invited with the bootstrap ADMIN_TOKEN.

Examples:
  edgeway members invite ada@example.com --role owner --name "Ada Lovelace"
  printf %s "$PASSWORD" | edgeway members invite grace@example.com --role deployer --password-stdin
  edgeway members role grace@example.com admin
  edgeway members remove grace@example.com`,
  arguments: [
    {
      name: 'action',
      required: false,
      description: '"list" (the default), "invite", "role", "disable", "enable" or "remove".',
    },
    { name: 'email', required: false, description: 'The member, for every action but list.' },
    { name: 'role', required: false, description: 'Role: the new role.' },
  ],
  options: {
    role: {
      type: 'string',
      value: '<role>',
      description: 'Invite: viewer, deployer, admin or owner (required).',
    },
    name: {
      type: 'string',
      value: '<name>',
      description: 'Invite: their name (default: the part before @).',
    },
    'password-stdin': {
      type: 'boolean',
      description: 'Invite: read their password from stdin instead of generating one.',
    },
    json: { type: 'boolean', description: "List, invite: print the API's JSON." },
    ...connectionOptions,
  },
  async run(input) {
    const [action = 'list', email, role] = input.positionals;
    checkAction(input, action, ACTION_OPTIONS);
    if (action === 'list') {
      if (email !== undefined) throw new UsageError(`unexpected argument "${email}"`);
      return list(input);
    }
    if (email === undefined) throw new UsageError(`missing argument <email>: the member to ${action}`);
    if (role !== undefined && action !== 'role') throw new UsageError(`unexpected argument "${role}"`);
    const member = checked(EmailSchema, email, `"${email}"`);
    switch (action) {
      case 'invite':
        return invite(input, member);
      case 'role': {
        if (role === undefined)
          throw new UsageError('missing argument <role>: viewer, deployer, admin or owner');
        const updated = await setMemberRole(connect(input.values), member, roleOf(role, `"${role}"`));
        console.log(`${updated.email} is now ${updated.role}.`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        await setMemberDisabled(connect(input.values), member, action === 'disable');
        console.log(`${action === 'disable' ? 'Disabled' : 'Enabled'} ${member}.`);
        return 0;
      }
      default:
        await removeMember(connect(input.values), member);
        console.log(`Removed ${member}; their sessions ended and their tokens were revoked.`);
        return 0;
    }
  },
};

async function list({ values }: ParsedInput): Promise<number> {
  const members = await listMembers(connect(values));
  if (values.json) {
    console.log(JSON.stringify(members, null, 2));
  } else if (members.length === 0) {
    console.log('No members yet: edgeway members invite <email> --role owner makes the first.');
  } else {
    const rows = members.map((member) => [
      member.email,
      member.name,
      member.role,
      member.disabledAt ? 'disabled' : 'active',
      timestamp(member.createdAt),
    ]);
    console.log(table(['EMAIL', 'NAME', 'ROLE', 'STATE', 'CREATED'], rows));
  }
  return 0;
}

async function invite({ values }: ParsedInput, email: string): Promise<number> {
  const givenRole = stringValue(values.role);
  if (givenRole === undefined) throw new UsageError('invite needs --role: viewer, deployer, admin or owner');
  const name = stringValue(values.name);
  const password = values['password-stdin'] ? await passwordFromStdin() : undefined;
  const invited = await inviteMember(connect(values), {
    email,
    role: roleOf(givenRole, `--role "${givenRole}"`),
    ...(name === undefined ? {} : { name: checked(MemberNameSchema, name, `--name "${name}"`) }),
    ...(password === undefined ? {} : { password }),
  });
  if (values.json) {
    console.log(JSON.stringify(invited, null, 2));
    return 0;
  }
  const lines = [`Invited ${invited.email} as ${invited.role} (${invited.id}).`];
  if (invited.password) {
    lines.push('Their password, shown this once:', '', `  ${invited.password}`, '');
  }
  console.log(lines.join('\n'));
  return 0;
}

/** The password piped in, without one trailing newline; never from the command line. */
async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Type the password, then press Enter and Ctrl-D:\n');
  const password = (await text(process.stdin)).replace(/\r?\n$/, '');
  return checked(PasswordSchema, password, 'the password on stdin');
}

function roleOf(role: string, what: string): MemberRole {
  return checked(RoleSchema, role, what);
}
