// Entry of the self-contained simulator bundle (see bundle-simulator.mjs): the `simulate` CLI command alone,
// for a training machine that has Node but not this repo's node_modules.
import { run } from '../../../src/cli/commands/simulate.js';

process.exitCode = await run(process.argv.slice(2));
