import { useEffect, useState } from 'react';
import type { DraftIssue, SourceDraft } from '../../../../shared/config';
import { useServices } from '../common/services';

/** Typing pauses this long before the core checks the draft. */
const VALIDATE_DELAY_MS = 250;

/**
 * The core's verdict on a draft as it is typed: the same validation the save will apply (the
 * kind's own option schema), asked a moment after typing stops. The draft carries no token.
 */
export function useDraftIssues(draft: SourceDraft, isNew: boolean): DraftIssue[] {
  const { api } = useServices();
  const [issues, setIssues] = useState<DraftIssue[]>([]);
  const key = JSON.stringify(draft);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api['settings/validate-source']({ draft: JSON.parse(key) as SourceDraft, isNew })
        .then((answer) => {
          if (current) setIssues(answer.issues);
        })
        .catch(() => {
          // The save reports the same problems; a lost validation round is not worth a message.
        });
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, key, isNew]);
  return issues;
}
