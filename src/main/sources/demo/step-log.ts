import type { FetchedLog } from '../source';
import type { StepDefinition } from './catalog-pipeline';
import { END_GROUP, ERROR_MARKER, group, style } from './log-style';
import { randomFor } from './seeded-random';
import { stepBodyLines } from './step-log-bodies';

/**
 * One step's log, written the way GitHub Actions writes it: every line starts with an ISO-8601
 * timestamp with seven fractional digits, the step opens with a `##[group]Run …` header and a
 * failed step ends with `##[error]`. Generated on demand from the build, stage and step alone,
 * so it is the same every time; a running step shows the share of lines written so far.
 */
export interface StepLogRequest {
  readonly buildNumber: number;
  readonly commitSha: string;
  readonly commitMessage: string;
  readonly stageExternalId: string;
  readonly step: StepDefinition;
  readonly simulatedSeconds: number;
  /** Real start and end of the step, epoch milliseconds. */
  readonly startAt: number;
  readonly endAt: number;
  readonly fails: boolean;
  readonly failureScenario: number;
  readonly now: number;
}

const SUB_MILLISECOND_UNITS = 10_000;

/**
 * GitHub's line prefixes, e.g. `2026-11-29T10:00:01.1234567Z `, for times given in 100 ns units
 * after `startAt`. The date part is formatted once per second: a 100,000-line log would
 * otherwise spend most of its time in `toISOString`.
 */
function timestampFormatter(startAt: number): (offsetUnits: number) => string {
  let cachedSecond = Number.NaN;
  let cachedPrefix = '';
  return (offsetUnits) => {
    const milliseconds = startAt + Math.floor(offsetUnits / SUB_MILLISECOND_UNITS);
    const second = Math.floor(milliseconds / 1000);
    if (second !== cachedSecond) {
      cachedSecond = second;
      cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    }
    const fraction =
      (milliseconds - second * 1000) * SUB_MILLISECOND_UNITS +
      (offsetUnits % SUB_MILLISECOND_UNITS);
    return `${cachedPrefix}${String(fraction).padStart(7, '0')}Z `;
  };
}

function headerLines(request: StepLogRequest): string[] {
  const { step, buildNumber } = request;
  if (step.kind === 'checkout') {
    return [
      group(`Run ${step.command}`),
      'with:',
      '  repository: example-shop/catalog',
      `  ref: ${request.commitSha}`,
      '  fetch-depth: 1',
      END_GROUP,
    ];
  }
  return [
    group(`Run ${step.command}`),
    style.command(step.command),
    'shell: /usr/bin/bash -e {0}',
    'env:',
    '  CI: true',
    `  CATALOG_BUILD: ${buildNumber}`,
    END_GROUP,
  ];
}

/** Renders a step's log as of `request.now` (complete once the step has ended). */
export function renderStepLog(request: StepLogRequest): FetchedLog {
  const header = headerLines(request);
  const body = stepBodyLines({
    buildNumber: request.buildNumber,
    commitSha: request.commitSha,
    commitMessage: request.commitMessage,
    environment: request.stageExternalId === 'production' ? 'production' : 'uat',
    step: request.step,
    simulatedSeconds: request.simulatedSeconds,
    fails: request.fails,
    failureScenario: request.failureScenario,
    random: randomFor(
      request.buildNumber,
      `log/${request.stageExternalId}/${request.step.externalId}`,
    ),
  });
  if (request.fails) body.push(ERROR_MARKER);

  const duration = Math.max(1, request.endAt - request.startAt);
  const complete = request.now >= request.endAt;
  const elapsedShare = Math.min(1, Math.max(0, (request.now - request.startAt) / duration));
  const visible = header.length + (complete ? body.length : Math.floor(body.length * elapsedShare));
  const total = header.length + body.length;
  const spanUnits = duration * SUB_MILLISECOND_UNITS;

  const timestamp = timestampFormatter(request.startAt);
  const lines = new Array<string>(visible);
  for (let index = 0; index < visible; index += 1) {
    const text = index < header.length ? header[index] : body[index - header.length];
    const offsetUnits = Math.floor((spanUnits * index) / total);
    lines[index] = timestamp(offsetUnits) + (text ?? '');
  }
  return { text: lines.length === 0 ? '' : `${lines.join('\n')}\n`, complete };
}
