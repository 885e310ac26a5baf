import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** CLI tests run the built bundle, exactly as users do: build it once before the suite. */
export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
