import type { Status } from '../../../../shared/status';
import { statusWord } from '../../format/status-words';
import { StatusIcon } from './status-icon';

/** A status as colour, icon and word together. */
export function StatusBadge({ status, label }: { status: Status; label?: string }) {
  return (
    <span className={`status-badge status--${status}`} data-status={status}>
      <StatusIcon status={status} size={14} />
      <span>{label ?? statusWord(status)}</span>
    </span>
  );
}
