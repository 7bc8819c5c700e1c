#!/usr/bin/env node
// CLI entry: runs the TypeScript CLI through tsx (a dependency of the package), so no build step is needed.
import { register } from 'tsx/esm/api';
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
