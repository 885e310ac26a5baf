import path from 'node:path';
import { isAbsoluteAnywhere, rootRelative, toPosix } from '../util/paths.js';
import { escapeControls } from './sanitize.js';

export interface DisplayPath {
  /** POSIX path relative to the root, or the file as given when it lies outside the root. */
  path: string;
  outsideRoot: boolean;
}

/** Splits into segments and drops `.` segments; `..` segments are kept so callers can see an escape. */
function normalizeRelative(p: string): string {
  return path.posix.normalize(toPosix(p)).replace(/^(\.\/)+/, '');
}

/**
 * Where `file` lies relative to `root`. Relative inputs (live objects' stable paths) are taken
 * as relative to the root already.
 */
export function displayPath(root: string, file: string): DisplayPath {
  if (!isAbsoluteAnywhere(file)) {
    const rel = normalizeRelative(file);
    const escapes = rel === '..' || rel.startsWith('../');
    return { path: rel, outsideRoot: escapes };
  }
  const rel = rootRelative(root, file);
  const outside = rel === '' || rel === '..' || rel.startsWith('../') || isAbsoluteAnywhere(rel);
  if (outside) return { path: toPosix(file), outsideRoot: true };
  return { path: rel, outsideRoot: false };
}

/** A file as people read it (table, job summary, log): relative to the root, control characters escaped. */
export function shownPath(root: string, file: string): string {
  return escapeControls(displayPath(root, file).path);
}

/** The base name of a file path in either flavour. */
export function baseName(file: string): string {
  const parts = toPosix(file).split('/').filter((s) => s !== '');
  return parts[parts.length - 1] ?? 'unknown';
}

/** Percent-encodes each path segment so the result is a valid relative URI reference. */
export function encodeUriPath(posixPath: string): string {
  return posixPath
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}
