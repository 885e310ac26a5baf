import type { CoverageNote, Finding, Severity } from '../model/types.js';
import type { RuleMeta } from './rule-api.js';

export interface ScanSummary {
  /** Input files read (IaC) and live objects collected. */
  files: number;
  resources: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  suppressed: number;
  /** True when some input could not be read (exit code 2). */
  partial: boolean;
}

/** The one value reporters receive. Findings are sorted (severity, file, line, rule) and deterministic. */
export interface ScanResult {
  tool: { name: string; version: string; informationUri: string };
  /** Absolute directory that output paths are relative to. */
  root: string;
  findings: Finding[];
  /** Metadata of every rule that ran (SARIF `rules[]`). */
  rules: RuleMeta[];
  notes: CoverageNote[];
  summary: ScanSummary;
}
