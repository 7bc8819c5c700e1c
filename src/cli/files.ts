/** File reading/writing for CLI commands: failures become FileIoError with the path and the system's reason. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FileIoError } from '../errors.js';

export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new FileIoError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
}

/** Writes `data` to `path`; `makeDirs` creates the missing parent folders first. */
export async function writeBytes(path: string, data: Uint8Array, makeDirs = false): Promise<void> {
  try {
    if (makeDirs) await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
  } catch (err) {
    throw new FileIoError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
}
