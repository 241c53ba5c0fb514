import { memo } from 'react';
import { formatDuration } from '../../format/duration';
import { sparkline, type DurationPoint } from './trend-math';

const WIDTH = 168;
const HEIGHT = 30;

/**
 * A stage's durations over the last builds as a small line, oldest on the left; failed runs are
 * red dots, the latest run a filled dot. Inline SVG, no chart library.
 */
export const Sparkline = memo(function Sparkline({
  points,
  label,
}: {
  points: readonly DurationPoint[];
  label: string;
}) {
  const geometry = sparkline(
    points.map((point) => point.milliseconds),
    WIDTH,
    HEIGHT,
    3,
  );
  if (geometry.points.length === 0) {
    return <span className="sparkline-empty muted">No finished runs</span>;
  }
  const last = geometry.points.at(-1)!;
  return (
    <svg
      className="sparkline"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={label}
      data-testid="stage-sparkline"
    >
      <title>{label}</title>
      <path className="sparkline-line" d={geometry.path} />
      {geometry.points.map((point, index) =>
        points[index]!.status === 'failed' ? (
          <circle key={index} className="sparkline-failed" cx={point.x} cy={point.y} r={2.5}>
            <title>
              #{points[index]!.buildNumber} failed after{' '}
              {formatDuration(points[index]!.milliseconds)}
            </title>
          </circle>
        ) : null,
      )}
      <circle className="sparkline-last" cx={last.x} cy={last.y} r={2.5} />
    </svg>
  );
});
