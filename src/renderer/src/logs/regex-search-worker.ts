import { answerRegexSearch, type RegexSearchRequest } from './regex-search-protocol';

/*
 * Runs the viewer's regular-expression searches off the main thread: a pattern such as `(a+)+$`
 * can backtrack for minutes on one long line, and only a worker can be stopped in the middle of
 * a regex. The viewer terminates this worker when a chunk takes longer than its budget.
 */
self.addEventListener('message', (event: MessageEvent<RegexSearchRequest>) => {
  const response = answerRegexSearch(event.data);
  if ('lines' in response) {
    self.postMessage(response, {
      transfer: [response.lines.buffer, response.columns.buffer, response.lengths.buffer],
    });
  } else {
    self.postMessage(response);
  }
});
