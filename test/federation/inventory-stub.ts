import type { InventoryIndex } from '../../src/model/types.js';
import type { ClusterInfo, JsonValue, Resource } from '../../src/model/types.js';

export function resource(id: string, type: string, body: unknown): Resource {
  return { id, type, name: id, file: '/scan/' + id, format: 'iam-json', body: body as JsonValue, positions: {} };
}

export function index(resources: Resource[] = [], clusters: ClusterInfo[] = []): InventoryIndex {
  return {
    clusters,
    resourceById: (id) => resources.find((r) => r.id === id),
    ofType: (type) => resources.filter((r) => r.type === type),
  };
}
