/** Entry point of build/bench.js: what `npm run bench` measures, from the same bundle users run. */
export { scan, collectInventory, auditInventory } from './scan.js';
export { parseOnly } from './collect/parse-floor.js';
export { writeInventory, loadInventory } from './model/snapshot.js';
export { render } from './reporters/index.js';
