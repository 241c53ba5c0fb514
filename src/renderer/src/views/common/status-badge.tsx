import type { Status } from '../../../../shared/status';
import { statusClasses, statusText, statusWord } from '../../format/status-words';
import { StatusIcon } from './status-icon';

/**
 * A status as colour, icon and word together. With a provider's detail ("Unstable") the word is
 * the provider's, and the tooltip still says what it counts as.
 */
export function StatusBadge({
  status,
  detail = null,
  label,
}: {
  status: Status;
  detail?: string | null;
  label?: string;
}) {
  const item = { status, statusDetail: detail };
  return (
    <span
      className={`status-badge ${statusClasses(item)}`}
      data-status={status}
      data-status-detail={detail ?? undefined}
      title={detail ? `${detail} (counts as ${statusWord(status).toLowerCase()})` : undefined}
    >
      <StatusIcon status={status} size={14} />
      <span>{label ?? statusText(item)}</span>
    </span>
  );
}
