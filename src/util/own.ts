/**
 * A table's own entry for a key that may come from the input: `constructor`, `toString` or
 * `__proto__` name nothing unless the table itself holds them, whatever its prototype.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
