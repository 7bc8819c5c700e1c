// CLI entry point; subcommands are registered in src/cli/commands.
export async function main(argv: string[]): Promise<number> {
  process.stderr.write(`hearing-hands: unknown command ${argv[0] ?? ''}\n`);
  return 2;
}
