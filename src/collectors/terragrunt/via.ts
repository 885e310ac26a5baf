/** Resources a unit's local module defines: the module's own block becomes a related location of their findings. */
import type { Resource } from '../../model/types.js';

export function markModuleOrigins(resources: Resource[]): void {
  for (const r of resources) {
    const own = r.positions[''];
    if (!r.via || r.via.definedAt || r.file === r.via.file || !own) continue;
    r.via = { ...r.via, definedAt: { file: r.file, position: { line: own.line, column: own.column, endLine: own.endLine, endColumn: own.endColumn } } };
  }
}
