import { describe, expect, it } from 'vitest';
import { parseServeArguments } from '../../src/main/server/serve-arguments';

const noEnv = {};

describe('pipewatch serve arguments', () => {
  it('serves the demo on 127.0.0.1:8484 with no options', () => {
    expect(parseServeArguments(['serve'], noEnv)).toEqual({
      command: 'serve',
      options: {
        host: '127.0.0.1',
        port: 8484,
        dataDir: undefined,
        configPath: undefined,
        token: null,
        tokenFile: null,
      },
    });
  });

  it('reads config, data dir, port, host and token', () => {
    const parsed = parseServeArguments(
      [
        'serve',
        '--config',
        'team.json',
        '--data-dir',
        '/var/lib/pw',
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--token',
        's3cret-token',
      ],
      noEnv,
    );

    expect(parsed).toEqual({
      command: 'serve',
      options: {
        host: '0.0.0.0',
        port: 0,
        dataDir: '/var/lib/pw',
        configPath: 'team.json',
        token: 's3cret-token',
        tokenFile: null,
      },
    });
  });

  it('refuses a non-loopback host without a token', () => {
    const parsed = parseServeArguments(['serve', '--host', '0.0.0.0'], noEnv);

    expect(parsed).toHaveProperty('error');
    expect((parsed as { error: string }).error).toContain('access token');
  });

  it('accepts a non-loopback host with a token from PIPEWATCH_TOKEN or --token-file', () => {
    const fromEnv = parseServeArguments(['serve', '--host', '192.168.1.20'], {
      PIPEWATCH_TOKEN: 'radiator-token',
    });
    const fromFile = parseServeArguments(
      ['serve', '--host', '::', '--token-file', 'token.txt'],
      noEnv,
    );

    expect(fromEnv).toMatchObject({ command: 'serve', options: { token: 'radiator-token' } });
    expect(fromFile).toMatchObject({
      command: 'serve',
      options: { token: null, tokenFile: 'token.txt' },
    });
  });

  it('lets --token win over PIPEWATCH_TOKEN and refuses --token with --token-file', () => {
    expect(
      parseServeArguments(['serve', '--token', 'from-flag'], { PIPEWATCH_TOKEN: 'from-env' }),
    ).toMatchObject({ options: { token: 'from-flag' } });
    expect(
      parseServeArguments(['serve', '--token', 'a-token', '--token-file', 'f'], noEnv),
    ).toHaveProperty('error');
  });

  it.each(['http', '-1', '65536', '80.5', ''])('refuses the port "%s"', (port) => {
    const parsed = parseServeArguments(['serve', `--port=${port}`], noEnv);

    expect((parsed as { error: string }).error).toMatch(/^--port must be a whole number/);
  });

  it('names an unknown option in one line', () => {
    expect(parseServeArguments(['serve', '--prot', '80'], noEnv)).toEqual({
      error: 'Unknown option --prot (see pipewatch serve --help).',
    });
  });

  it('refuses a missing option value, a missing command and a stray argument', () => {
    expect(parseServeArguments(['serve', '--port'], noEnv)).toHaveProperty('error');
    expect(parseServeArguments([], noEnv)).toHaveProperty('error');
    expect(parseServeArguments(['watch'], noEnv)).toHaveProperty('error');
    expect(parseServeArguments(['serve', 'extra'], noEnv)).toHaveProperty('error');
  });

  it('refuses a token with spaces, which no header could carry', () => {
    expect(parseServeArguments(['serve', '--token', 'two words'], noEnv)).toHaveProperty('error');
  });

  it('answers --help and --version before anything else', () => {
    expect(parseServeArguments(['--help'], noEnv)).toEqual({ command: 'help' });
    expect(parseServeArguments(['serve', '-v'], noEnv)).toEqual({ command: 'version' });
  });
});
