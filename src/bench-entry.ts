/** Entry point of build/bench.js: what `npm run bench` measures, from the same bundle users run. */
export { scan, collectInventory, auditInventory } from './scan.js';
export { parseOnly } from './engine/parse-floor.js';
export { writeInventory, loadInventory } from './engine/snapshot.js';
export { parseYaml, parseYamlReference } from './util/structured.js';
export { parseYamlFast } from './util/yaml-fast.js';
