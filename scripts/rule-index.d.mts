/** Where the generated rule index lives, relative to the repository. */
export const INDEX_PATH: string;
/** The rule index for the rule files under `<repoRoot>/rules/`. */
export function renderRuleIndex(repoRoot: string): string;
