// The `apimon` command line. Each command lives in commands/<name>.ts and exports
// run(argv) -> exit code, usage and summary.
import { closestMatch } from '@apimon/core';
import { StoreAuthError } from '../query/store-auth';
import { UsageError } from './args';
import * as audit from './commands/audit';
import * as check from './commands/check';
import * as loadtest from './commands/loadtest';
import * as runCommand from './commands/run';
import * as sandbox from './commands/sandbox';
import * as platform from './commands/platform';
import * as probe from './commands/probe';
import * as report from './commands/report';
import * as status from './commands/status';
import * as statusPages from './commands/status-pages';
import * as traffic from './commands/traffic';

interface Command {
  run(argv: string[]): Promise<number>;
  usage: string;
  summary: string;
}

const COMMANDS: Record<string, Command> = {
  audit,
  check,
  run: runCommand,
  sandbox,
  platform,
  probe,
  report,
  status,
  'status-pages': statusPages,
  traffic,
  loadtest,
};

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`);
  return `apimon: monitor the third-party APIs your platform depends on\n\nusage: apimon <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    const hint = closestMatch(name, Object.keys(COMMANDS));
    process.stderr.write(`apimon: unknown command "${name}"${hint ? `; did you mean "${hint}"?` : ''}\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError || err instanceof StoreAuthError) {
      process.stderr.write(`apimon ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

/** Entry point of bin/apimon.js: runs main and sets the exit code. */
export function runCli(argv: string[] = process.argv.slice(2)): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `apimon: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`
      );
      process.exitCode = 1;
    }
  );
}
