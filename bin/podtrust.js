#!/usr/bin/env node
import { existsSync } from 'node:fs';

const cli = new URL('../build/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('podtrust: the CLI is not built; run `npm run build` (npm ci does it too)\n');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
