/**
 * The config language, version 1: the zod schema of edgeway.yaml (or edgeway.json). It is
 * the one source of truth: the compiler validates with it and the editor JSON Schema is
 * generated from it, so every field carries a description. Strings may contain
 * `${env.NAME}`, which the compiler resolves per environment before validating.
 */
import { z } from 'zod';
import { EnvironmentNameSchema } from './ids.ts';
import { HostnameSchema, NameSchema, VarNameSchema } from './source-fields.ts';
import { PolicySchema } from './source-policy.ts';
import { RouteSchema } from './source-route.ts';
import { UpstreamSchema } from './source-upstream.ts';

export { RouteSchema, type SourceRoute } from './source-route.ts';

const EnvironmentSchema = z
  .strictObject({
    hosts: z.array(HostnameSchema).default([]).describe('Lowercase hostnames served by this environment.'),
    vars: z
      .record(VarNameSchema, z.string())
      .default({})
      .describe(`Values for \${env.NAME} references, by NAME. Taken literally: they are not interpolated.`),
  })
  .describe(
    'Per-environment values. An environment not listed here has no hosts of its own and only the top-level vars.',
  );

export const EdgewaySourceSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Ignored by the compiler; lets editors find this JSON Schema.'),
    version: z.literal(1).describe('Config language version; must be 1.'),
    upstreams: z
      .record(NameSchema, UpstreamSchema)
      .default({})
      .describe('Backends routes can proxy to, by name.'),
    policies: z
      .record(NameSchema, PolicySchema)
      .default({})
      .describe('Configured policy instances, by name; routes refer to them in order.'),
    routes: z
      .array(RouteSchema)
      .default([])
      .describe('Routes, in order. Two routes may not share a host, path shape and method.'),
    vars: z.record(VarNameSchema, z.string()).default({}).describe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${env.NAME} is config-language syntax.
      "Default values for ${env.NAME} references, for every environment; an environment's own vars override them. Preview environments, which are not listed under environments, get these.",
    ),
    environments: z
      .record(EnvironmentNameSchema, EnvironmentSchema)
      .default({})
      .describe('Environments by name (production, staging, ...): their hosts and variable values.'),
  })
  .describe(
    `Edgeway gateway config, version 1. Any string value outside "vars" and "environments" may contain \${env.NAME}, resolved from the target environment's vars; write $\${ for a literal \${.`,
  );

export type EdgewaySource = z.output<typeof EdgewaySourceSchema>;
export type SourceEnvironment = z.output<typeof EnvironmentSchema>;
