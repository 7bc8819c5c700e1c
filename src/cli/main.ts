/**
 * CLI entry point. Each subcommand lives in its own file `src/cli/commands/<name>.ts` exporting
 * `summary` (one line for the help) and `run(args): Promise<number>` (the exit code). Commands are found
 * by file name, so adding one never touches this file.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HearingHandsError } from '../errors.js';

export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => /^[a-z][a-z0-9-]*\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => f.replace(/\.(ts|js)$/, ''))
    .filter((n, i, all) => all.indexOf(n) === i)
    .sort();
}

async function loadCommand(name: string): Promise<Command | undefined> {
  if (!commandNames().includes(name)) return undefined;
  return (await import(`./commands/${name}.js`)) as Command;
}

async function printHelp(): Promise<void> {
  const lines = ['usage: hearing-hands <command> [options]', '', 'commands:'];
  for (const name of commandNames()) {
    const cmd = await loadCommand(name);
    lines.push(`  ${name.padEnd(10)} ${cmd?.summary ?? ''}`);
  }
  lines.push('', 'Run `hearing-hands <command> --help` for its options.');
  process.stdout.write(lines.join('\n') + '\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await printHelp();
    return name === undefined ? 2 : 0;
  }
  const cmd = await loadCommand(name);
  if (!cmd) {
    process.stderr.write(`hearing-hands: unknown command '${name}' (try --help)\n`);
    return 2;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    // Typed errors are expected failures (bad input): one clear line, no stack.
    if (err instanceof HearingHandsError) {
      process.stderr.write(`hearing-hands ${name}: ${err.code}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

// Allow `node --import tsx src/cli/main.ts <command> …` as well as the bin wrapper.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
