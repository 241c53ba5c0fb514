import fc from 'fast-check';

/**
 * Mutations of real provider payloads for fuzzing: a fixture with a few of its fields dropped,
 * nulled, swapped to another type, replaced by random words, huge numbers or nested garbage.
 * Starting from the real payload keeps most of it valid, so a mapper gets past its first check
 * and the mutation lands where a real server's surprise would.
 */

export type JsonPath = ReadonlyArray<string | number>;

/** Keys whose values are a provider's words for a state: they get random words more often. */
const STATE_KEY = /status|conclusion|result|state|building|scheduling|type|stage$/i;

/** Numbers JSON can carry that break naive code: huge, negative, fractional, beyond 2^53. */
export const AWKWARD_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  0.5,
  1.5,
  2 ** 53 + 2,
  1e21,
  1e308,
  -1e308,
  // `JSON.parse('1e400')` is Infinity: a server can send it.
  Infinity,
  -Infinity,
];

/** Words other providers (or a newer version of this one) use for states. */
export const FOREIGN_STATE_WORDS: readonly string[] = [
  'SUCCESS',
  'Success',
  'success ',
  'passed',
  'FAILURE',
  'errored',
  'in_progress',
  'IN_PROGRESS',
  'RUNNING',
  'blocked',
  'manual',
  'unknown',
  'waiting_for_approval',
  'on_hold',
  'canceled',
  'cancelled',
  'NOT_BUILT',
  'UNSTABLE',
  'skipped',
  'neutral',
  '',
  ' ',
  '__proto__',
  'constructor',
  'toString',
  // The provider's own words in the wrong place are surprises too.
  'completed',
  'waiting',
  'queued',
  'pending',
  'success',
  'failed',
  'PAUSED_PENDING_INPUT',
];

const randomWord = fc.oneof(
  fc.constantFrom(...FOREIGN_STATE_WORDS),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

/** Values that replace whatever was at a place. */
const replacement: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  randomWord,
  fc.constantFrom(...AWKWARD_NUMBERS),
  fc.integer(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant('x'.repeat(100_000)),
  fc.jsonValue({ maxDepth: 3 }),
);

export type Mutation =
  /** Removes a field (or an array element). */
  | { kind: 'drop'; place: number }
  /** Puts another value there. */
  | { kind: 'replace'; place: number; value: unknown }
  /** The same value as another JSON type: 12 ↔ "12", object ↔ array, true → "true". */
  | { kind: 'swap-type'; place: number }
  /** A provider word replaced by a random one (statuses, conclusions, results). */
  | { kind: 'state-word'; place: number; word: string }
  /** A number replaced by one that breaks naive code (fractions, beyond 2^53, Infinity). */
  | { kind: 'awkward-number'; place: number; value: number }
  /** An array element twice (duplicate ids). */
  | { kind: 'duplicate'; place: number }
  /** Garbage nested inside an object or array. */
  | { kind: 'nest'; place: number; value: unknown };

const mutationKinds: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), place: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), place: fc.nat(), value: replacement }),
  fc.record({ kind: fc.constant('swap-type' as const), place: fc.nat() }),
  fc.record({ kind: fc.constant('state-word' as const), place: fc.nat(), word: randomWord }),
  fc.record({
    kind: fc.constant('awkward-number' as const),
    place: fc.nat(),
    value: fc.constantFrom(...AWKWARD_NUMBERS),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), place: fc.nat() }),
  fc.record({
    kind: fc.constant('nest' as const),
    place: fc.nat(),
    value: fc.jsonValue({ maxDepth: 4 }),
  }),
);

/** A mutation, aimed at the fields a mapper reads half of the time (see `MutationOptions`). */
export const mutationArbitrary: fc.Arbitrary<AimedMutation> = fc
  .tuple(mutationKinds, fc.boolean())
  .map(([mutation, aimed]) => ({ ...mutation, aimed }));

export type AimedMutation = Mutation & { aimed?: boolean };

export interface MutationOptions {
  maxMutations?: number;
  /**
   * The field names the adapter's wire schemas read. An aimed mutation picks only places whose
   * every key is one of them, so it lands in `run_number` rather than in `repository.hooks_url`.
   */
  focus?: ReadonlySet<string>;
}

/** Every place in a JSON value, the root included, parents before children. */
export function jsonPaths(value: unknown, path: JsonPath = []): JsonPath[] {
  const paths: JsonPath[] = [path];
  if (Array.isArray(value)) {
    value.forEach((item, index) => paths.push(...jsonPaths(item, [...path, index])));
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) paths.push(...jsonPaths(item, [...path, key]));
  }
  return paths;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function read(root: unknown, path: JsonPath): unknown {
  let current = root;
  for (const key of path) current = (current as Record<string | number, unknown>)[key];
  return current;
}

/** Replaces (or with `undefined`, removes) the value at `path`; answers the new root. */
function write(root: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = read(root, path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const key = path[path.length - 1] as string | number;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, unknown>)[key as string];
  } else {
    (parent as Record<string | number, unknown>)[key] = value;
  }
  return root;
}

function swapType(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : [value];
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return { ...value };
  if (isObject(value)) return Object.values(value);
  return 0;
}

function pick<T>(items: readonly T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

function isAimedAt(path: JsonPath, focus: ReadonlySet<string>): boolean {
  return path.every((key) => typeof key === 'number' || focus.has(key));
}

/** Applies one mutation to a copy of `value`. */
export function applyMutation(
  value: unknown,
  mutation: AimedMutation,
  focus?: ReadonlySet<string>,
): unknown {
  const root = structuredClone(value);
  const every = jsonPaths(root);
  const aimed = mutation.aimed && focus ? every.filter((path) => isAimedAt(path, focus)) : every;
  const all = aimed.length > 0 ? aimed : every;
  switch (mutation.kind) {
    case 'drop': {
      const path = pick(all.slice(1), mutation.place);
      return path ? write(root, path, undefined) : root;
    }
    case 'replace': {
      const path = pick(all, mutation.place) ?? [];
      return write(root, path, mutation.value);
    }
    case 'swap-type': {
      const path = pick(all, mutation.place) ?? [];
      return write(root, path, swapType(read(root, path)));
    }
    case 'state-word': {
      const states = all.filter((path) => STATE_KEY.test(String(path[path.length - 1] ?? '')));
      const path = pick(states, mutation.place) ?? pick(all, mutation.place) ?? [];
      return write(root, path, mutation.word);
    }
    case 'awkward-number': {
      const numbers = all.filter((path) => typeof read(root, path) === 'number');
      const path = pick(numbers, mutation.place);
      return path ? write(root, path, mutation.value) : root;
    }
    case 'duplicate': {
      const arrays = all.filter((path) => Array.isArray(read(root, path)));
      const path = pick(arrays, mutation.place);
      if (!path) return root;
      const list = read(root, path) as unknown[];
      if (list.length > 0) list.push(structuredClone(list[mutation.place % list.length]));
      return root;
    }
    case 'nest': {
      const containers = all.filter((path) => {
        const found = read(root, path);
        return Array.isArray(found) || isObject(found);
      });
      const path = pick(containers, mutation.place);
      if (!path) return root;
      const container = read(root, path);
      if (Array.isArray(container)) container.push(mutation.value);
      else (container as Record<string, unknown>)[`garbage${mutation.place}`] = mutation.value;
      return root;
    }
  }
}

/** `base` with one to `maxMutations` mutations applied in turn. */
export function mutatedJson(base: unknown, options: MutationOptions = {}): fc.Arbitrary<unknown> {
  return fc
    .array(mutationArbitrary, { minLength: 1, maxLength: options.maxMutations ?? 3 })
    .map((mutations) =>
      mutations.reduce<unknown>(
        (value, mutation) => applyMutation(value, mutation, options.focus),
        base,
      ),
    );
}

/**
 * A set of payloads of which exactly one is mutated: a poll that reads several endpoints gets
 * past the intact ones and meets the surprise where it is.
 */
export function oneMutated<T extends Record<string, unknown>>(
  payloads: T,
  options: MutationOptions = {},
): fc.Arbitrary<{ mutated: keyof T; payloads: T }> {
  const keys = Object.keys(payloads) as Array<keyof T>;
  return fc.constantFrom(...keys).chain((key) =>
    mutatedJson(payloads[key], options).map((value) => ({
      mutated: key,
      payloads: { ...payloads, [key]: value },
    })),
  );
}
