import { z } from 'zod';

/**
 * One `<Project>` element as a feed sends it (https://cctray.org/v1/): the attributes as text.
 * Lenient on purpose: the XSD says `name` is an NMTOKEN and `lastBuildLabel` is required, real
 * feeds break both (GoCD's "main :: build", servers that never built), and "clients should not
 * rely on any optional attribute being present". Unknown attributes are ignored; an empty
 * attribute counts as missing.
 */
const optionalText = z
  .string()
  .optional()
  .transform((value) => {
    const trimmed = value?.trim();
    return trimmed ? trimmed : null;
  });

export const cctrayProjectSchema = z.object({
  name: z.string().trim().min(1),
  activity: optionalText,
  lastBuildStatus: optionalText,
  lastBuildLabel: optionalText,
  lastBuildTime: optionalText,
  nextBuildTime: optionalText,
  webUrl: optionalText,
});

/** A project of the feed, attributes trimmed, missing ones null. */
export type CctrayProject = z.output<typeof cctrayProjectSchema>;

/** The activities the spec names; anything else a server invents is `other`. */
export type CctrayActivity = 'Sleeping' | 'Building' | 'CheckingModifications' | 'other';

/** The build results the spec names; anything else is `other` (the spec says use Unknown). */
export type CctrayBuildStatus = 'Success' | 'Failure' | 'Exception' | 'Unknown' | 'other';

/** Reads `activity`, case-insensitively (some servers write "building"). */
export function readActivity(value: string | null): CctrayActivity {
  switch (value?.toLowerCase()) {
    case 'sleeping':
      return 'Sleeping';
    case 'building':
      return 'Building';
    case 'checkingmodifications':
      return 'CheckingModifications';
    default:
      return 'other';
  }
}

/** Reads `lastBuildStatus`, case-insensitively. */
export function readBuildStatus(value: string | null): CctrayBuildStatus {
  switch (value?.toLowerCase()) {
    case 'success':
      return 'Success';
    case 'failure':
      return 'Failure';
    case 'exception':
      return 'Exception';
    case 'unknown':
      return 'Unknown';
    default:
      return 'other';
  }
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads an `xs:dateTime` as ISO-8601 UTC, or null. Accepts what servers send: seven fractional
 * digits (CruiseControl.NET), no seconds, and no zone at all (read as UTC, the one guess that is
 * the same on every machine).
 */
export function readDateTime(value: string | null): string | null {
  if (!value) return null;
  const match = DATE_TIME.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const milliseconds = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  let time = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second ?? '0'),
    milliseconds,
  );
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    time -= sign * offsetMinutes * 60_000;
  }
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}
