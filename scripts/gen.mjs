// `npm run gen`: writes every file generated from the sources (the list is generatedFiles() in
// src/docs/generate.ts: the rule index, docs/rules/<id>.md, the README's rule list) and names
// those that changed. The generator is TypeScript, so the bundle is built first.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const { writeGeneratedFiles } = await import(pathToFileURL(join(repo, 'build', 'generate.js')).href);
const changed = writeGeneratedFiles(repo);
process.stdout.write(changed.length === 0 ? 'generated files are up to date\n' : changed.map((f) => `wrote ${f}\n`).join(''));
