import { catchallNotLast } from './catchallNotLast';
import { defaultExportOnly } from './defaultExportOnly';
import { duplicateRoute } from './duplicateRoute';
import { duplicateRouteFile } from './duplicateRouteFile';
import { duplicateSlug } from './duplicateSlug';
import { dynamicErrorDynamicApi } from './dynamicErrorDynamicApi';
import { errorStatus200 } from './errorStatus200';
import { fetchCacheConflict } from './fetchCacheConflict';
import { forceStaticRequestData } from './forceStaticRequestData';
import { frozenTimeVarying } from './frozenTimeVarying';
import { invalidHandlerType } from './invalidHandlerType';
import { invalidRouteExport } from './invalidRouteExport';
import { invalidSegmentConfig } from './invalidSegmentConfig';
import { lowercaseMethod } from './lowercaseMethod';
import { optionalCatchallConflict } from './optionalCatchallConflict';
import { outputExportDynamic } from './outputExportDynamic';
import { paramsNotAwaited } from './paramsNotAwaited';
import { routePageConflict } from './routePageConflict';
import { segmentConfigCacheComponents } from './segmentConfigCacheComponents';
import { slugNameConflict } from './slugNameConflict';
import { unavailableApi } from './unavailableApi';
import type { AppCheck, RouteCheck } from './types';

export type { AppCheck, AppCheckInput, Check, RouteCheck, RouteCheckInput } from './types';

/** Checks that look at one route; they run when the route is re-linked. */
export const ROUTE_CHECKS: readonly RouteCheck[] = [
  invalidSegmentConfig,
  segmentConfigCacheComponents,
  dynamicErrorDynamicApi,
  fetchCacheConflict,
  defaultExportOnly,
  lowercaseMethod,
  invalidRouteExport,
  invalidHandlerType,
  frozenTimeVarying,
  forceStaticRequestData,
  paramsNotAwaited,
  errorStatus200,
  outputExportDynamic,
  unavailableApi,
];

/** Checks that compare routes with each other; they run when the set of URLs changes. */
export const APP_CHECKS: readonly AppCheck[] = [routePageConflict, duplicateRoute, duplicateRouteFile, slugNameConflict, duplicateSlug, optionalCatchallConflict, catchallNotLast];
