import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProviderHttp } from '../../src/main/sources/http/provider-http';
import { redact } from '../../src/main/sources/http/redact';
import { parseRetryAfter } from '../../src/main/sources/http/retry-after';
import { SOURCE_ERROR_KINDS } from '../../src/main/sources/source';
import { asyncOutcomeOf, describeFailure, FUZZ_RUNS } from '../support/fuzz-kit';

/**
 * The HTTP layer every adapter shares, fed any answer a server (or something in between) can
 * give: every failure is a typed `SourceError` whose message never carries the token, and a
 * `Retry-After` never sends the poller into the past.
 */

const TOKEN = 'ghp_fuzzTokenThatMustNeverShow0123';
const NOW = Date.parse('2026-03-01T12:00:00Z');

const printable = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);

const retryAfter = fc.oneof(
  printable,
  fc.nat().map(String),
  fc.constantFrom(
    '120',
    '-5',
    '1.5',
    '99999999999999999999',
    'Wed, 21 Oct 2015 07:28:00 GMT',
    'Fri, 31 Dec 9999 23:59:59 GMT',
    'not a date',
  ),
);

/** A body as a server might send it, sometimes echoing the credentials it was given. */
const body = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '',
    '{"message": "Bad credentials"}',
    `{"message": "token ${TOKEN} is revoked"}`,
    `<!DOCTYPE html><html><body>Sign in</body></html>`,
    `Authorization: Bearer ${TOKEN}`,
    '{"message": "You have exceeded a secondary rate limit"}',
    '{"workflow_runs": [',
    'null',
    '[]',
  ),
);

const answer = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 408, 409, 422, 429),
    fc.constantFrom(500, 502, 503, 504),
    fc.integer({ min: 200, max: 599 }),
  ),
  headers: fc.record(
    {
      'retry-after': retryAfter,
      'content-type': fc.constantFrom('application/json', 'text/html', 'text/plain', ''),
      location: fc.oneof(printable, fc.constantFrom('https://elsewhere.example/signed?x=1')),
      etag: printable,
    },
    { requiredKeys: [] },
  ),
  body,
});

describe('the provider HTTP layer, answered anything', () => {
  it('resolves or fails with a typed error that never names the token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 4 }), async (answers) => {
        let next = 0;
        const http = new ProviderHttp({
          providerName: 'GitHub',
          baseUrl: 'http://127.0.0.1:9/api/v3',
          authHeaders: () => ({ Authorization: `Bearer ${TOKEN}` }),
          secrets: () => [TOKEN],
          now: () => NOW,
          fetch: async () => {
            const { status, headers, body: text } = answers[Math.min(next, answers.length - 1)]!;
            next += 1;
            const empty = status === 204 || status === 304 || (status >= 100 && status < 200);
            return new Response(empty ? null : text, { status, headers });
          },
        });
        const outcome = await asyncOutcomeOf(() => http.getJson('repos/o/r/actions/runs'));
        if (outcome.kind === 'untyped-error') throw new Error(describeFailure(outcome.error));
        if (outcome.kind === 'typed-error') {
          expect(SOURCE_ERROR_KINDS).toContain(outcome.error.kind);
          expect(outcome.error.message).not.toContain(TOKEN);
          const { retryAt } = outcome.error;
          if (retryAt !== null) {
            expect(Number.isFinite(retryAt)).toBe(true);
            expect(retryAt).toBeGreaterThanOrEqual(NOW);
          }
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('reads any Retry-After as a time no earlier than now, or as nothing', () => {
    fc.assert(
      fc.property(retryAfter, (value) => {
        const at = parseRetryAfter(value, NOW);
        if (at !== null) {
          expect(Number.isFinite(at)).toBe(true);
          expect(at).toBeGreaterThanOrEqual(NOW);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('scrubs a secret wherever it sits in a message', () => {
    const secret = fc.string({ minLength: 4, maxLength: 24 }).filter((text) => !text.includes('*'));
    fc.assert(
      fc.property(
        secret,
        fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 4 }),
        (value, pieces) => {
          const message = pieces.join(value);
          expect(redact(`${message} ${value}`, [value])).not.toContain(value);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});
