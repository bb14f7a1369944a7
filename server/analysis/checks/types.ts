import type { HandlerEvidence } from '../caching';
import type { HttpMethod, NextConfigInfo, PageEntry, Problem, Route } from '../model';
import type { ModuleSummary } from '../moduleSummary';
import type { HandlerTarget } from '../routeModule';
import type { BuildContext } from '../segmentConfigRules';

/** What a per-route check sees: one route, already linked and classified. */
export interface RouteCheckInput {
  route: Route;
  context: BuildContext;
  config: NextConfigInfo;
  /** The GET handler's effects (or the metadata route's), as the caching verdict used them. */
  evidence: HandlerEvidence;
  /** Where each exported method's code is. */
  handlers: ReadonlyMap<HttpMethod, HandlerTarget>;
  /** The route file's own summary. */
  summary: ModuleSummary;
  relative: (abs: string) => string;
}

/** What an app-wide check sees: every route and page of one app. */
export interface AppCheckInput {
  routes: readonly Route[];
  pages: readonly PageEntry[];
  context: BuildContext;
}

export interface RouteCheck {
  id: string;
  scope: 'route';
  run(input: RouteCheckInput): Problem[];
}

export interface AppCheck {
  id: string;
  scope: 'app';
  run(input: AppCheckInput): Problem[];
}

export type Check = RouteCheck | AppCheck;
