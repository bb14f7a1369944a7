import type { RouteManifest } from './model';
import { type ScanOptions, Workspace } from './workspace';

export type { FileChange, ScanOptions } from './workspace';
export { Workspace } from './workspace';

/** Cold scan of every Next.js app under `root`: the analysis core's one-call entry point. */
export function scanWorkspace(root: string, options: ScanOptions = {}): RouteManifest {
  return new Workspace(root, options).scan();
}
