import { fieldNamed, OptionInput, type OptionFieldsProps } from './option-fields';

const LABELS: Array<[name: string, label: string, hint: string]> = [
  ['checkInEverySeconds', 'A check-in every (seconds)', 'A new build starts this often.'],
  ['speed', 'Time-lapse', '1 is real time; 60 makes a one-minute stage take a second.'],
  ['failureRate', 'Share of builds that fail', 'From 0 (never) to 1 (always).'],
  ['gateExpiresAfterHours', 'Production gate expires after (hours)', 'When nobody decides.'],
  [
    'supersedeWaitingGates',
    'A newer candidate replaces one waiting at production',
    'Keeps the approvals inbox to the newest candidate.',
  ],
];

/**
 * The Catalog demo's options: the simulated server of Building Microservices' pipeline needs no
 * address and no token, only how lively it should be.
 */
export function DemoFields(props: OptionFieldsProps) {
  return (
    <>
      {LABELS.map(([name, label, hint]) => {
        const field = fieldNamed(props.kind, name);
        return field ? (
          <OptionInput key={name} field={field} label={label} hint={hint} {...props} />
        ) : null;
      })}
    </>
  );
}
