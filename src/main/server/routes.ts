import { OPERATION_NAMES, operations, type OperationName } from '../../shared/contract';

/**
 * The HTTP routes of the API, generated from the contract's operations table so that adding an
 * operation to `src/shared/contract.ts` adds its endpoint here without another edit.
 */

type Method = 'GET' | 'POST';

interface Route {
  name: OperationName;
  method: Method;
  segments: readonly string[];
}

export type RouteMatch =
  | { kind: 'operation'; name: OperationName; params: Record<string, string> }
  /** The path exists but not for this method; `allowed` lists the ones that do. */
  | { kind: 'wrong-method'; allowed: Method[] }
  | { kind: 'none' }
  /** A path parameter is not valid percent-encoding. */
  | { kind: 'malformed'; parameter: string };

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

const routes: readonly Route[] = OPERATION_NAMES.map((name) => ({
  name,
  method: operations[name].method,
  segments: splitPath(operations[name].path),
}));

type SegmentMatch =
  | { matched: true; params: Record<string, string> }
  | { matched: false; malformedParameter: string }
  | null;

function matchSegments(pattern: readonly string[], actual: readonly string[]): SegmentMatch {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index] ?? '';
    const segment = actual[index] ?? '';
    if (expected.startsWith(':')) {
      const parameter = expected.slice(1);
      try {
        params[parameter] = decodeURIComponent(segment);
      } catch {
        return { matched: false, malformedParameter: parameter };
      }
    } else if (expected !== segment) {
      return null;
    }
  }
  return { matched: true, params };
}

/** Finds the operation for a request line. */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const actual = splitPath(pathname);
  const allowed: Method[] = [];
  for (const route of routes) {
    const match = matchSegments(route.segments, actual);
    if (match === null) continue;
    if (!match.matched) return { kind: 'malformed', parameter: match.malformedParameter };
    if (route.method === method) {
      return { kind: 'operation', name: route.name, params: match.params };
    }
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}
