import {
  formatIssuePath,
  sourceConfigSchema,
  type CredentialRef,
  type DraftIssue,
  type SourceConfig,
  type SourceOrigin,
  type SourceSetting,
  type TokenChange,
} from '../../shared/config';
import type { SourceKind } from '../../shared/model';
import { optionsSchemaFor } from '../sources/registry';
import { listSourceKinds } from './source-kinds';

/**
 * From what Settings' form holds (a draft) to a source config the core can start, and back to
 * what Settings shows. Pure: every rule here is unit-tested without a core.
 */

/** A draft after the contract's schema filled its defaults. */
export interface ParsedDraft {
  key: string;
  kind: SourceKind;
  name: string;
  baseUrl: string;
  enabled: boolean;
  options: Record<string, unknown>;
  token: TokenChange;
}

export type DraftResult = { ok: true; config: SourceConfig } | { ok: false; issues: DraftIssue[] };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,199}$/;

function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** The token reference a change leaves the source with; secrets are stored under the source id. */
export function tokenReferenceFor(
  change: TokenChange,
  key: string,
  current: CredentialRef | undefined,
): CredentialRef | undefined {
  switch (change.kind) {
    case 'keep':
      return current;
    case 'none':
      return undefined;
    case 'env':
      return { env: change.variable.trim() };
    case 'secret':
      return { secret: key };
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  // The form calls the config's `id` its key.
  const [first, ...rest] = path;
  return formatIssuePath(first === 'id' ? ['key', ...rest] : path);
}

/**
 * Checks a draft against everything the config file would be checked against, plus what Settings
 * knows (ids in use, a kind that needs a server or a token). Answers every issue, not the first.
 */
export function validateDraft(
  draft: ParsedDraft,
  context: {
    isNew: boolean;
    /** Every source id in use (config file, built-in and app). */
    keysInUse: ReadonlySet<string>;
    /** The source being edited, for `token: keep` and a kind that must not change. */
    current: SourceConfig | null;
  },
): DraftResult {
  const issues: DraftIssue[] = [];
  const key = draft.key.trim();
  const baseUrl = draft.baseUrl.trim();
  const token = tokenReferenceFor(draft.token, key, context.current?.token);
  const candidate = {
    id: key,
    kind: draft.kind,
    name: draft.name.trim(),
    ...(baseUrl === '' ? {} : { baseUrl }),
    ...(token === undefined ? {} : { token }),
    enabled: draft.enabled,
    options: draft.options,
  };

  const parsed = sourceConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ path: fieldPath(issue.path), message: issue.message });
    }
  }
  if (context.isNew && context.keysInUse.has(key)) {
    issues.push({ path: 'key', message: `a source with id "${key}" already exists` });
  }
  if (context.current !== null && context.current.kind !== draft.kind) {
    issues.push({ path: 'kind', message: 'the kind of a source cannot change; add a new source' });
  }
  if (baseUrl !== '' && !/^https?:\/\//i.test(baseUrl)) {
    issues.push({ path: 'baseUrl', message: 'an http:// or https:// address' });
  }

  const info = listSourceKinds().find((entry) => entry.kind === draft.kind);
  if (info && draft.kind !== 'demo' && info.defaultBaseUrl === null && baseUrl === '') {
    issues.push({ path: 'baseUrl', message: `${info.label} needs the server's address` });
  }
  if (info?.token === 'required' && token === undefined) {
    issues.push({ path: 'token', message: `${info.label} needs a token` });
  }
  // A stored token goes only to the server it was stored for: pointing a source at another
  // server (or testing it against one) needs the token typed again, so that nobody who can reach
  // the API can send the stored token to a server of their choosing.
  const storedFor = context.current;
  if (
    draft.token.kind === 'keep' &&
    storedFor?.token !== undefined &&
    'secret' in storedFor.token &&
    originOf(baseUrl || info?.defaultBaseUrl) !==
      originOf(storedFor.baseUrl ?? info?.defaultBaseUrl)
  ) {
    issues.push({
      path: 'token',
      message: 'enter the token again: a stored token is only sent to the server it was stored for',
    });
  }
  if (draft.token.kind === 'env' && !ENV_NAME.test(draft.token.variable.trim())) {
    issues.push({ path: 'token', message: 'an environment variable name, e.g. GITHUB_TOKEN' });
  }

  const schema = optionsSchemaFor(draft.kind);
  let options = draft.options;
  if (schema === null) {
    issues.push({
      path: 'kind',
      message: `this version of Pipewatch cannot poll ${draft.kind} yet`,
    });
  } else {
    const checked = schema.safeParse(draft.options);
    if (checked.success) options = checked.data as Record<string, unknown>;
    else {
      for (const issue of checked.error.issues) {
        issues.push({ path: formatIssuePath(['options', ...issue.path]), message: issue.message });
      }
    }
  }

  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, config: { ...parsed.data, options } };
}

/** How Settings shows one source: its settings and how its token is given, never the token. */
export function describeSetting(
  config: SourceConfig,
  origin: SourceOrigin,
  sourceId: number | null,
  facts: { hasSecret(id: string): boolean; env: NodeJS.ProcessEnv },
): SourceSetting {
  const reference = config.token;
  return {
    key: config.id,
    sourceId,
    kind: config.kind,
    name: config.name,
    baseUrl: config.baseUrl ?? null,
    enabled: config.enabled,
    options: config.options,
    origin,
    editable: origin === 'app',
    token:
      reference === undefined
        ? { kind: 'none' }
        : 'env' in reference
          ? { kind: 'env', variable: reference.env, isSet: Boolean(facts.env[reference.env]) }
          : { kind: 'secret', id: reference.secret, isStored: facts.hasSecret(reference.secret) },
  };
}
