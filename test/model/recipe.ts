// Running the PyTorch recipe (models/recipe/*.py) from tests: Debian's python3 with torch, or a skip reason.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const PY = '/usr/bin/python3';
export const RECIPE = new URL('../../models/recipe/', import.meta.url).pathname;

/** false when PY imports every module, else the reason to skip (CI installs them: .ci/run). */
export function recipeSkip(modules: string[]): string | false {
  const probe = existsSync(PY) ? spawnSync(PY, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' }) : null;
  return !probe || probe.status !== 0
    ? `${PY} cannot import ${modules.join('/')} (.ci/run installs Debian's python3-torch, python3-onnx, python3-numpy)`
    : false;
}

/** The environment the recipe runs in here: OpenMP threads that yield while idle (this 2-core machine is shared). */
export const RECIPE_ENV = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' };

/** Runs a recipe script to completion; asserts it succeeded; returns its stdout. */
export function runRecipe(args: string[], env: NodeJS.ProcessEnv = RECIPE_ENV): string {
  const r = spawnSync(PY, args, { cwd: RECIPE, encoding: 'utf8', env });
  assert.equal(r.status, 0, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
