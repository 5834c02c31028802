/**
 * `edgeway validate [dir]`: compiles the config folder locally, with the compiler the
 * control plane uses, for one environment. Prints every error as file:line:col, and
 * warnings to stderr, or a JSON report with --json; exits 1 when the config does not compile.
 */
import { PRODUCTION_ENVIRONMENT } from '../../src/config/branches.ts';
import type { Command } from '../lib/command.ts';
import { EXIT_FAILED } from '../lib/errors.ts';
import { plural } from '../lib/format.ts';
import { compileFolder, formatCompileErrors, printCompileWarnings } from '../lib/local-compile.ts';
import { environmentName, environmentOption } from '../lib/options.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Compile the config locally and report every error.',
  description: `Compiles edgeway.yaml (or edgeway.json) in the folder with the same compiler the control
plane uses, for one environment (its vars fill \${env.NAME}). Each error is printed as
file:line:col: $.json.path: message; warnings (an upstream or policy no route uses) as
file:line:col: warning: $.json.path: message, on stderr. Exits 1 when the config does not
compile; warnings alone do not fail it. Nothing is sent anywhere.

Example:
  edgeway validate --environment staging`,
  arguments: [
    { name: 'dir', required: false, description: 'The config folder (default: the current folder).' },
  ],
  options: {
    environment: environmentOption(`The environment to compile for (default: ${PRODUCTION_ENVIRONMENT}).`),
    json: {
      type: 'boolean',
      description:
        'Print {ok, environment, hash, routes, warnings} or {ok, environment, errors} as JSON (each error or warning {file, line, column, path, message}).',
    },
  },
  async run({ values, positionals }) {
    const dir = positionals[0] ?? '.';
    const environment = environmentName(values.environment) ?? PRODUCTION_ENVIRONMENT;
    const { result } = await compileFolder(dir, environment);
    if (values.json) {
      const report = result.ok
        ? {
            ok: true,
            environment,
            hash: result.hash,
            routes: result.config.routes.length,
            warnings: result.warnings,
          }
        : { ok: false, environment, errors: result.errors };
      console.log(JSON.stringify(report, null, 2));
    } else if (result.ok) {
      await printCompileWarnings(result, dir);
      const where = dir === '.' ? '' : ` in ${dir}`;
      console.log(
        `The config${where} compiles for ${environment} (${plural(result.config.routes.length, 'route')}).`,
      );
    } else {
      for (const line of await formatCompileErrors(result.errors, dir)) console.log(line);
      console.log(
        `${plural(result.errors.length, 'error')}; the config does not compile for ${environment}.`,
      );
    }
    return result.ok ? 0 : EXIT_FAILED;
  },
};
