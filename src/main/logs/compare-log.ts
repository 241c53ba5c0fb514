import { ApiError } from '../../shared/contract';
import { findNewLines } from '../../shared/log/compare-logs';
import type { LogComparison } from '../../shared/log/log-api';
import { parseLog } from '../../shared/log/parse-log';
import type { LogText } from '../../shared/model';
import type { LogKey } from '../store/log-repository';
import { readStageLog, readStepLog, type LogDependencies } from './step-log';

function readLog(key: LogKey, dependencies: LogDependencies): Promise<LogText> {
  return key.stepId === null
    ? readStageLog(key.stageId, dependencies)
    : readStepLog(key.stepId, dependencies);
}

/**
 * Compares a log with the same stage's (and step's) log in the newest earlier build where that
 * stage passed, and lists the lines that are new: what this build printed that the green one
 * did not. Either log is fetched from its source when it is not stored yet.
 */
export async function compareWithLastGreen(
  key: LogKey,
  dependencies: LogDependencies,
): Promise<LogComparison> {
  const current = parseLog((await readLog(key, dependencies)).text);
  const baseline = dependencies.store.findGreenBaseline(key);
  if (baseline === null) {
    return {
      baseline: null,
      lineCount: current.lineCount,
      newLines: [],
      note: 'No earlier build passed this stage, so there is no green log to compare with.',
    };
  }
  const described = {
    buildId: baseline.buildId,
    buildNumber: baseline.buildNumber,
    stageId: baseline.stageId,
    stepId: baseline.stepId,
  };
  let green: LogText;
  try {
    green = await readLog(baseline, dependencies);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return {
      baseline: described,
      lineCount: current.lineCount,
      newLines: [],
      note: `The log of build ${baseline.buildNumber} could not be read: ${error.message}`,
    };
  }
  return {
    baseline: described,
    lineCount: current.lineCount,
    newLines: findNewLines(current, parseLog(green.text)).map((line) => line + 1),
    note: null,
  };
}
