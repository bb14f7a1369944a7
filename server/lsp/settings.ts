import type { Severity } from '../analysis/model';

/** The settings the server uses, as the client sends them (`routeAtlas.*`). */
export interface ServerSettings {
  nextVersion: 'auto' | '14' | '15' | '16';
  cacheComponents: 'auto' | 'on' | 'off';
  codeLensEnable: boolean;
  /** Severity per check id; `ignore` drops the diagnostic. */
  lint: Record<string, Severity | 'ignore'>;
}

export const DEFAULT_SETTINGS: ServerSettings = { nextVersion: 'auto', cacheComponents: 'auto', codeLensEnable: true, lint: {} };

/** Reads the `routeAtlas` section, tolerating missing or mistyped values. */
export function parseSettings(raw: unknown): ServerSettings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const lint: Record<string, Severity | 'ignore'> = {};
  const rawLint = section.lint;
  if (rawLint && typeof rawLint === 'object') {
    for (const [id, value] of Object.entries(rawLint as Record<string, unknown>)) {
      if (value === 'ignore' || value === 'info' || value === 'warning' || value === 'error') lint[id] = value;
    }
  }
  const nextVersion = ['14', '15', '16'].includes(String(section.nextVersion)) ? (String(section.nextVersion) as ServerSettings['nextVersion']) : 'auto';
  const cacheComponents = section.cacheComponents === 'on' || section.cacheComponents === 'off' ? section.cacheComponents : 'auto';
  const codeLens = section.codeLens as { enable?: unknown } | undefined;
  return { nextVersion, cacheComponents, codeLensEnable: codeLens?.enable !== false, lint };
}

export function severityFor(settings: ServerSettings, id: string, fallback: Severity): Severity | 'ignore' {
  return settings.lint[id] ?? fallback;
}
