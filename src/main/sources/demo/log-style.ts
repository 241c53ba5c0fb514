/**
 * The ANSI colours (SGR codes) and GitHub Actions markers the demo's logs are written with, so
 * the log viewer meets the same escapes it will see from real CI servers.
 */

const ESC = '\u001b[';

export const style = {
  bold: (text: string): string => `${ESC}1m${text}${ESC}22m`,
  dim: (text: string): string => `${ESC}2m${text}${ESC}22m`,
  green: (text: string): string => `${ESC}32m${text}${ESC}39m`,
  red: (text: string): string => `${ESC}31m${text}${ESC}39m`,
  yellow: (text: string): string => `${ESC}33m${text}${ESC}39m`,
  /** GitHub prints the command of a `run:` step in bold cyan. */
  command: (text: string): string => `${ESC}36;1m${text}${ESC}0m`,
  /** 256-colour grey, as test runners print timings. */
  grey: (text: string): string => `${ESC}38;5;244m${text}${ESC}39m`,
  /** 256-colour orange for slow requests and warnings. */
  orange: (text: string): string => `${ESC}38;5;208m${text}${ESC}39m`,
  pass: `${ESC}1;30;42m PASS ${ESC}0m`,
  fail: `${ESC}1;37;41m FAIL ${ESC}0m`,
  tick: `${ESC}32m✓${ESC}39m`,
  cross: `${ESC}31m✗${ESC}39m`,
};

export const group = (name: string): string => `##[group]${name}`;
export const END_GROUP = '##[endgroup]';
/** GitHub's last line of a failed step: what the log viewer scrolls to. */
export const ERROR_MARKER = '##[error]Process completed with exit code 1.';
