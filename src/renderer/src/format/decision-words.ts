import type { Build, Decision, DecisionResult, Gate } from '../../../shared/model';
import { assertNever } from '../../../shared/status';
import { shortSha } from './status-words';

/** What the confirmation dialog says, naming exactly what will happen. */
export type DecisionWords = { title: string; sentence: string; confirm: string };

/**
 * "Deploy Catalog build 122 (a1b2c3d) to production" — the build, the commit and the target,
 * so nobody approves the wrong candidate.
 */
export function decisionWords(
  pipelineName: string,
  build: Pick<Build, 'number' | 'commitSha'>,
  gate: Pick<Gate, 'name' | 'environment'>,
  decision: Decision,
): DecisionWords {
  const sha = shortSha(build.commitSha);
  const candidate = `${pipelineName} build ${build.number}${sha ? ` (${sha})` : ''}`;
  switch (decision) {
    case 'approve':
      return gate.environment
        ? {
            title: `Approve deployment to ${gate.environment}?`,
            sentence: `Deploy ${candidate} to ${gate.environment}`,
            confirm: `Approve and deploy`,
          }
        : {
            title: `Approve ${gate.name}?`,
            sentence: `Let ${candidate} continue past ${gate.name}`,
            confirm: 'Approve',
          };
    case 'reject':
      return {
        title: `Reject ${gate.environment ?? gate.name}?`,
        sentence: gate.environment
          ? `Reject ${candidate}: it will not be deployed to ${gate.environment}`
          : `Reject ${candidate} at ${gate.name}: it will stop there`,
        confirm: 'Reject',
      };
    default:
      return assertNever(decision);
  }
}

/** The server's answer to a decision, in words. */
export function decisionResultWords(result: DecisionResult, decision: Decision): string {
  const message = result.message.trim();
  // Servers often lead with the same word ("Approved: production deploy started"); say it once.
  const said = (lead: string): string => {
    if (!message) return `${lead}.`;
    return message.toLowerCase().startsWith(lead.toLowerCase()) ? message : `${lead}: ${message}`;
  };
  switch (result.outcome) {
    case 'done':
      return said(decision === 'approve' ? 'Approved' : 'Rejected');
    case 'already-decided':
      return said('Already decided');
    case 'expired':
      return said('The gate expired');
    case 'forbidden':
      return said('Not allowed');
    case 'error':
      return said('The CI server refused');
    default:
      return assertNever(result.outcome);
  }
}
