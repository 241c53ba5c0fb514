import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, OPERATION_NAMES, operations } from '../../src/shared/contract';

const apiDoc = readFileSync(join(__dirname, '..', '..', 'docs', 'api.md'), 'utf8');

describe('docs/api.md', () => {
  it.each(OPERATION_NAMES)('documents the endpoint of %s', (name) => {
    const { method, path } = operations[name];
    expect(apiDoc).toContain(`${method} ${path}`);
  });

  it.each(EVENT_NAMES)('documents the %s event', (name) => {
    expect(apiDoc).toContain(`\`${name}\``);
  });
});
