import { z } from 'zod';
import type { OptionField, SourceKindInfo } from '../../shared/config';
import { SOURCE_KINDS, type SourceKind } from '../../shared/model';
import { optionsSchemaFor } from '../sources/registry';

/**
 * The kinds of source as Settings offers them: what each needs (a server address, a token) and
 * its option fields, described from the kind's own zod schema so that a form generated from them
 * can never drift from what the adapter accepts.
 */

interface KindCatalogEntry {
  label: string;
  token: SourceKindInfo['token'];
  baseUrlHint: string;
  defaultBaseUrl: string | null;
}

const catalog: Record<SourceKind, KindCatalogEntry> = {
  demo: {
    label: 'Catalog demo (simulated)',
    token: 'none',
    baseUrlHint: 'Not used: the demo simulates its server.',
    defaultBaseUrl: null,
  },
  github: {
    label: 'GitHub Actions',
    token: 'optional',
    baseUrlHint: 'The API: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise.',
    defaultBaseUrl: 'https://api.github.com',
  },
  gitlab: {
    label: 'GitLab CI',
    token: 'optional',
    baseUrlHint: 'The instance, with its path prefix if any (https://gitlab.example.com).',
    defaultBaseUrl: 'https://gitlab.com',
  },
  jenkins: {
    label: 'Jenkins',
    token: 'optional',
    baseUrlHint: 'Required: the address you open Jenkins at (https://ci.example.com/jenkins/).',
    defaultBaseUrl: null,
  },
  buildbot: {
    label: 'Buildbot',
    token: 'optional',
    baseUrlHint: "Required: the master's web root (https://buildbot.example.org/).",
    defaultBaseUrl: null,
  },
  buildkite: {
    label: 'Buildkite',
    token: 'required',
    baseUrlHint: 'The REST API: https://api.buildkite.com/v2.',
    defaultBaseUrl: 'https://api.buildkite.com/v2',
  },
  circleci: {
    label: 'CircleCI',
    token: 'required',
    baseUrlHint: 'The API: https://circleci.com/api/v2.',
    defaultBaseUrl: 'https://circleci.com/api/v2',
  },
  cctray: {
    label: 'cctray feed (cc.xml)',
    token: 'optional',
    baseUrlHint: 'Required: the feed itself (https://jenkins.example.com/cc.xml).',
    defaultBaseUrl: null,
  },
};

type JsonSchemaNode = {
  type?: string | string[];
  enum?: unknown[];
  items?: JsonSchemaNode;
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
};

function fieldType(node: JsonSchemaNode): OptionField['type'] {
  if (node.type === 'boolean') return 'boolean';
  if (node.type === 'integer') return 'integer';
  if (node.type === 'number') return 'number';
  if (node.type === 'string') {
    return Array.isArray(node.enum) && node.enum.every((value) => typeof value === 'string')
      ? 'choice'
      : 'string';
  }
  if (node.type === 'array' && node.items?.type === 'string') return 'string-list';
  // Unions and nested objects (GitLab's `{project, ref}` entries) get a JSON editor.
  return 'json';
}

/** The fields of an options schema, in declaration order. Pure. */
export function describeOptionFields(schema: z.ZodType): OptionField[] {
  let json: JsonSchemaNode;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  } catch {
    return [];
  }
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, node]) => {
    const type = fieldType(node);
    return {
      name,
      type,
      required: required.has(name),
      defaultValue: node.default ?? null,
      minimum: node.minimum ?? node.exclusiveMinimum ?? null,
      maximum: node.maximum ?? node.exclusiveMaximum ?? null,
      choices: type === 'choice' ? (node.enum as string[]) : null,
    };
  });
}

/** Every kind, supported or not, with what Settings needs to draw its form. */
export function listSourceKinds(): SourceKindInfo[] {
  return SOURCE_KINDS.map((kind) => {
    const schema = optionsSchemaFor(kind);
    const entry = catalog[kind];
    return {
      kind,
      label: entry.label,
      supported: schema !== null,
      token: entry.token,
      baseUrlHint: entry.baseUrlHint,
      defaultBaseUrl: entry.defaultBaseUrl,
      docsPath: kind === 'demo' ? 'docs/configuration.md' : `docs/sources/${kind}.md`,
      fields: schema === null ? [] : describeOptionFields(schema),
    };
  });
}
