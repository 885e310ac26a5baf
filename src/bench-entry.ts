/** Entry point of build/bench.js: what `npm run bench` measures, from the same bundle users run. */
export { scan, collectInventory, auditInventory } from './scan.js';
export { parseOnly, rawParseOnly } from './collect/parse-floor.js';
export { writeInventory, loadInventory } from './model/snapshot.js';
export { render } from './reporters/index.js';
export { parseYaml } from './util/yaml.js';
export { parseYamlReference } from './util/structured.js';
export { parseYamlFast } from './util/yaml-fast.js';
