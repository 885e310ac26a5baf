/**
 * Everything the Action writes to the job log. A pull request writes the file names, names
 * and messages podtrust quotes, so every text goes through `inertForLog`, and the report
 * itself is printed with workflow commands switched off by a token only this run knows
 * (GitHub's documented way to print untrusted text), switched on again right after.
 */
import { randomBytes } from 'node:crypto';
import * as core from '@actions/core';
import { inertForLog } from '../reporters/sanitize.js';
import type { Annotation } from './annotations.js';

/** Prints untrusted text between `::stop-commands::<token>` and `::<token>::`. */
export function printInert(text: string): void {
  // Long and random: the runner masks tokens over 6 characters, and input cannot guess it to resume.
  const token = `podtrust-${randomBytes(16).toString('hex')}`;
  core.info(`::stop-commands::${token}`);
  try {
    core.info(inertForLog(text.replace(/\n$/, '')));
  } finally {
    core.info(`::${token}::`);
  }
}

export function annotate(a: Annotation): void {
  const props: core.AnnotationProperties = { title: inertForLog(a.title) };
  if (a.file !== undefined) props.file = a.file;
  if (a.startLine !== undefined) props.startLine = a.startLine;
  if (a.endLine !== undefined) props.endLine = a.endLine;
  if (a.startColumn !== undefined) props.startColumn = a.startColumn;
  if (a.endColumn !== undefined) props.endColumn = a.endColumn;
  // @actions/core escapes %, CR and LF in the message and also : and , in properties, as the runner expects.
  core[a.kind](inertForLog(a.message), props);
}

export function warn(message: string): void {
  core.warning(inertForLog(message));
}

/** Marks the step failed with an error annotation. */
export function fail(message: string): void {
  core.setFailed(inertForLog(message));
}
