import type { FailureJump } from './first-failure';

/** What the jump found, in words. */
export function jumpWords(answer: FailureJump<{ number: number }>): string {
  switch (answer.kind) {
    case 'found':
      return answer.lastGreen === null
        ? `#${answer.build.number} is the first failure: no build was green in the whole history`
        : `#${answer.build.number} is the first failure since #${answer.lastGreen.number} was green`;
    case 'none':
      return answer.lastGreen === null
        ? 'No build failed'
        : `Nothing failed since #${answer.lastGreen.number} was green`;
    case 'need-more':
      return 'Still looking further back…';
  }
}
