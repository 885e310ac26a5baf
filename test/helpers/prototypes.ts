/** Each object's prototype (none, or Object's) by its path: what a lookup by a key from the input depends on. */
export function prototypesByPath(value: unknown, path = '', out: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => prototypesByPath(v, `${path}/${i}`, out));
    return out;
  }
  out.push(`${path} ${Object.getPrototypeOf(value) === null ? 'bare' : 'plain'}`);
  for (const key of Object.keys(value)) prototypesByPath((value as Record<string, unknown>)[key], `${path}/${key}`, out);
  return out;
}

/** The prototypes of the objects in each resource's body, by resource id and path. */
export function bodyPrototypes(resources: { id: string; body: unknown }[]): string[] {
  const out: string[] = [];
  for (const r of resources) prototypesByPath(r.body, r.id, out);
  return out;
}
