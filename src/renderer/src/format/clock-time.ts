import { parseTime } from './duration';

function sameDay(a: number, b: number): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

/**
 * A timestamp as a person reads it next to a build, in their locale and time zone: the time of
 * day (with seconds) when it falls on the day of `day` (now, or the moment it follows), else the
 * date too. Null without a timestamp.
 */
export function formatClockTime(time: string | null, day: number, locale?: string): string | null {
  const at = parseTime(time);
  if (at === null) return null;
  const clock: Intl.DateTimeFormatOptions = {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  };
  const options: Intl.DateTimeFormatOptions = sameDay(at, day)
    ? clock
    : { year: 'numeric', month: 'short', day: 'numeric', ...clock };
  return new Intl.DateTimeFormat(locale, options).format(new Date(at));
}
