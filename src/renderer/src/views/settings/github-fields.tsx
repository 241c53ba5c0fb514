import type { SourceDraft } from '../../../../shared/config';
import { fieldNamed, OptionInput, type OptionFieldsProps } from './option-fields';
import { PipelinePicker } from './pipeline-picker';
import type { SourceForm } from './source-form-state';

/**
 * GitHub Actions: the repositories, then the workflows picked from what those repositories
 * have, an optional branch and how many runs each poll reads.
 */
export function GithubFields(
  props: OptionFieldsProps & { draft(): SourceDraft; setForm(form: SourceForm): void },
) {
  const repositories = fieldNamed(props.kind, 'repositories');
  const branch = fieldNamed(props.kind, 'branch');
  const runsPerPoll = fieldNamed(props.kind, 'runsPerPoll');
  return (
    <>
      {repositories ? (
        <OptionInput
          field={repositories}
          label="Repositories"
          hint="One per line, as owner/name."
          placeholder={'octo-org/octo-repo\nocto-org/another-repo'}
          {...props}
        />
      ) : null}
      <PipelinePicker
        form={props.form}
        option="workflows"
        noun="workflows"
        draft={props.draft}
        onChange={props.setForm}
      />
      {props.errorOf('options.workflows') ? (
        <p className="settings-field-error" role="alert">
          {props.errorOf('options.workflows')}
        </p>
      ) : null}
      {branch ? (
        <OptionInput
          field={branch}
          label="Branch"
          hint="Only runs of this branch; every branch when empty."
          placeholder="main"
          {...props}
        />
      ) : null}
      {runsPerPoll ? (
        <OptionInput
          field={runsPerPoll}
          label="Runs read per poll"
          hint="The newest runs per repository (or per picked workflow); 1 to 100, default 20."
          {...props}
        />
      ) : null}
    </>
  );
}
