/**
 * `edgeway consumers`: the consumers that call the gateway's APIs with API keys. Creates,
 * lists (optionally by tag), shows (with their keys), updates and deletes them. Every
 * value is checked here with the control plane's own rules before anything is sent.
 */
import {
  ConsumerNameSchema,
  MetadataSchema,
  PlanSchema,
  TagSchema,
  TagsSchema,
} from '../../control-plane/src/consumers/fields.ts';
import { checkAction, checked } from '../lib/checked.ts';
import type { Command, ParsedInput } from '../lib/command.ts';
import { keysTable } from '../lib/consumer-output.ts';
import {
  type ConsumerFields,
  createConsumer,
  deleteConsumer,
  getConsumer,
  listConsumers,
  updateConsumer,
} from '../lib/consumers-api.ts';
import { UsageError } from '../lib/errors.ts';
import { table, timestamp } from '../lib/format.ts';
import { connect, connectionOptions, stringValue } from '../lib/options.ts';

const FIELD_OPTIONS = ['tag', 'plan', 'metadata'];
/** The options each action takes, besides the connection's. */
const ACTION_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  list: ['tag', 'json'],
  create: [...FIELD_OPTIONS, 'json'],
  show: ['json'],
  update: [...FIELD_OPTIONS, 'no-tags', 'no-plan'],
  delete: [],
};

export const consumersCommand: Command = {
  name: 'consumers',
  usage: 'edgeway consumers [list|create|show|update|delete] [name] [options]',
  summary: 'Create, list, show, update or delete the consumers API keys belong to.',
  description: `A consumer is who calls your APIs: a partner, an app, a team. Its API keys (edgeway keys)
carry its name, tags, plan and metadata to the gateway. Without an action (or with "list"),
lists the consumers. "show" lists a consumer's keys too. "update" changes only the fields
given: --tag replaces all the tags, --metadata all the metadata. "delete" revokes every key
of the consumer first.

Names and plans are 1-64 letters, digits, ".", "_" or "-"; a tag is 1-32 of those or ":";
metadata is a JSON object of at most 1 KB.

Examples:
  edgeway consumers create acme --tag partner --tag eu --plan gold --metadata '{"crm":"C-42"}'
  edgeway consumers list --tag partner
  edgeway consumers show acme
  edgeway consumers update acme --plan platinum --no-tags
  edgeway consumers delete acme`,
  arguments: [
    {
      name: 'action',
      required: false,
      description: '"list" (the default), "create", "show", "update" or "delete".',
    },
    { name: 'name', required: false, description: 'The consumer, for every action but list.' },
  ],
  options: {
    tag: {
      type: 'string',
      multiple: true,
      value: '<tag>',
      description: 'Create, update: a tag; repeat it for more. List: only consumers with this tag.',
    },
    'no-tags': { type: 'boolean', description: 'Update: remove every tag.' },
    plan: { type: 'string', value: '<plan>', description: "Create, update: the consumer's plan." },
    'no-plan': { type: 'boolean', description: 'Update: remove the plan.' },
    metadata: {
      type: 'string',
      value: '<json>',
      description: 'Create, update: a JSON object of at most 1 KB, e.g. \'{"crm":"C-42"}\'.',
    },
    json: { type: 'boolean', description: "Create, list, show: print the API's JSON." },
    ...connectionOptions,
  },
  async run(input) {
    const [action = 'list', rawName] = input.positionals;
    checkAction(input, action, ACTION_OPTIONS);
    if (action === 'list') {
      if (rawName !== undefined) throw new UsageError(`unexpected argument "${rawName}"`);
      return list(input);
    }
    if (rawName === undefined) throw new UsageError(`missing argument <name>: the consumer to ${action}`);
    const name = checked(ConsumerNameSchema, rawName, `"${rawName}"`);
    switch (action) {
      case 'create':
        return create(input, name);
      case 'show':
        return show(input, name);
      case 'update':
        return update(input, name);
      default:
        await deleteConsumer(connect(input.values), name);
        console.log(`Deleted consumer ${name} and revoked its keys.`);
        return 0;
    }
  },
};

async function create(input: ParsedInput, name: string): Promise<number> {
  const consumer = await createConsumer(connect(input.values), name, fieldsFrom(input));
  if (input.values.json) console.log(JSON.stringify(consumer, null, 2));
  else
    console.log(
      `Created consumer ${consumer.name} (${consumer.id}). Issue it a key with: edgeway keys create ${name}`,
    );
  return 0;
}

async function list({ values, lists }: ParsedInput): Promise<number> {
  if ((lists.tag?.length ?? 0) > 1) throw new UsageError('list takes one --tag');
  const tag = lists.tag && checked(TagSchema, lists.tag[0], `--tag "${lists.tag[0]}"`);
  const consumers = await listConsumers(connect(values), tag);
  if (values.json) {
    console.log(JSON.stringify(consumers, null, 2));
  } else if (consumers.length === 0) {
    console.log(
      tag ? `No consumers tagged ${tag}.` : 'No consumers yet: edgeway consumers create <name> makes one.',
    );
  } else {
    const rows = consumers.map((consumer) => [
      consumer.name,
      consumer.plan ?? '-',
      consumer.tags.join(', ') || '-',
      timestamp(consumer.createdAt),
    ]);
    console.log(table(['NAME', 'PLAN', 'TAGS', 'CREATED'], rows));
  }
  return 0;
}

async function show({ values }: ParsedInput, name: string): Promise<number> {
  const consumer = await getConsumer(connect(values), name);
  if (values.json) {
    console.log(JSON.stringify(consumer, null, 2));
    return 0;
  }
  const lines = [
    `Name:      ${consumer.name}`,
    `ID:        ${consumer.id}`,
    `Plan:      ${consumer.plan ?? '-'}`,
    `Tags:      ${consumer.tags.join(', ') || '-'}`,
    `Metadata:  ${JSON.stringify(consumer.metadata)}`,
    `Created:   ${timestamp(consumer.createdAt)} by ${consumer.createdBy}`,
    `Updated:   ${timestamp(consumer.updatedAt)} by ${consumer.updatedBy}`,
    '',
    consumer.keys.length === 0
      ? `No keys: edgeway keys create ${name} issues one.`
      : keysTable(consumer.keys),
  ];
  console.log(lines.join('\n'));
  return 0;
}

async function update(input: ParsedInput, name: string): Promise<number> {
  const { values } = input;
  if (values['no-tags'] && input.lists.tag) throw new UsageError('give --tag or --no-tags, not both');
  if (values['no-plan'] && values.plan !== undefined)
    throw new UsageError('give --plan or --no-plan, not both');
  const fields: ConsumerFields = {
    ...fieldsFrom(input),
    ...(values['no-tags'] ? { tags: [] } : {}),
    ...(values['no-plan'] ? { plan: null } : {}),
  };
  if (Object.keys(fields).length === 0) {
    throw new UsageError('nothing to update: give --tag, --no-tags, --plan, --no-plan or --metadata');
  }
  await updateConsumer(connect(values), name, fields);
  console.log(`Updated consumer ${name}.`);
  return 0;
}

/** The fields the options give, each checked; the ones not given are left out. */
function fieldsFrom({ values, lists }: ParsedInput): ConsumerFields {
  const plan = stringValue(values.plan);
  const metadata = stringValue(values.metadata);
  return {
    ...(lists.tag ? { tags: checked(TagsSchema, lists.tag, '--tag') } : {}),
    ...(plan === undefined ? {} : { plan: checked(PlanSchema, plan, `--plan "${plan}"`) }),
    ...(metadata === undefined
      ? {}
      : { metadata: checked(MetadataSchema, parseJson(metadata), '--metadata') }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--metadata is not JSON: expected an object such as '{"crm":"C-42"}'`);
  }
}
