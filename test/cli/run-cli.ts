// Runs the real CLI (node bin/hearing-hands.mjs …) as a subprocess, as a user would.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult { code: number; stdout: string; stderr: string }

export function runCli(args: string[], cwd: string = repoRoot): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'bin', 'hearing-hands.mjs'), ...args], { cwd, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
  });
}

/** A typed-error report is one line, `hearing-hands <cmd>: CODE: message`, never a stack trace. */
export function isCleanError(stderr: string, code: string): boolean {
  return stderr.includes(`: ${code}: `) && !/\n\s+at /.test(stderr);
}
