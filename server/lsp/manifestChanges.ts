import type { ManifestResult, RouteChanges, RouteManifest } from '../protocol';

/**
 * The answer to a manifest request that names the version the client shows (`since`): when that is the
 * answer this server gave last, only the routes that changed since, else everything. Routes are compared
 * by identity: the workspace builds a route once when it links it and never changes it afterwards, so an
 * unchanged route is the same object in every manifest.
 */
export function manifestAnswer(current: ManifestResult, lastAnswer: ManifestResult | undefined, since: number | undefined): ManifestResult {
  if (since === undefined || !lastAnswer || lastAnswer.version !== since) return current;
  const folders: ManifestResult['folders'] = [];
  const changedFolders: Array<{ uri: string; apps: RouteChanges[] }> = [];
  for (const folder of current.folders) {
    const before = lastAnswer.folders.find((f) => f.uri === folder.uri)?.manifest;
    const apps = before && routeChangesOf(before, folder.manifest);
    if (!apps) {
      folders.push(folder);
      continue;
    }
    folders.push({ ...folder, manifest: { ...folder.manifest, apps: folder.manifest.apps.map((app) => ({ ...app, routes: [], problems: [], pages: [] })) } });
    changedFolders.push({ uri: folder.uri, apps });
  }
  return { ...current, folders, changes: { since, folders: changedFolders } };
}

/** Per app, what changed in its routes; undefined when the apps themselves changed (the folder goes whole). */
function routeChangesOf(before: RouteManifest, after: RouteManifest): RouteChanges[] | undefined {
  if (before.apps.length !== after.apps.length) return undefined;
  const result: RouteChanges[] = [];
  for (const [i, app] of after.apps.entries()) {
    const old = before.apps[i];
    if (old.root !== app.root) return undefined;
    if (old === app) {
      result.push({ changed: [], removed: [], problems: [], pages: [], unchanged: true });
      continue;
    }
    const oldByFile = new Map(old.routes.map((route) => [route.file, route]));
    if (oldByFile.size !== old.routes.length) return undefined;
    const files = new Set<string>();
    const changes: RouteChanges = { changed: [], removed: [], problems: indexedBy(old.problems, app.problems), pages: indexedBy(old.pages, app.pages) };
    for (const route of app.routes) {
      if (files.has(route.file)) return undefined;
      files.add(route.file);
      if (oldByFile.get(route.file) !== route) changes.changed.push(route);
    }
    const kept = old.routes.filter((route) => files.has(route.file));
    for (const route of old.routes) if (!files.has(route.file)) changes.removed.push(route.file);
    const sameOrder = kept.length === app.routes.length && kept.every((route, k) => route.file === app.routes[k].file);
    if (!sameOrder) changes.order = app.routes.map((route) => route.file);
    result.push(changes);
  }
  return result;
}

/** Each entry of `current` as its index in `previous` when it is the same object there, else itself. */
function indexedBy<T extends object>(previous: readonly T[], current: readonly T[]): Array<number | T> {
  const indexOf = new Map<T, number>();
  previous.forEach((entry, index) => indexOf.set(entry, index));
  return current.map((entry) => indexOf.get(entry) ?? entry);
}
