import type { FormEvent } from 'react';
import { useT } from '../../i18n';
import { navigate, withQuery } from '../../router';

/** One select of a master-data list's filters: its query parameter, label and choices. */
export interface Choice {
  name: string;
  label: string;
  anyLabel: string;
  value: string | undefined;
  options: readonly { value: string; label: string }[];
}

/**
 * A master-data list's filters (companies, resources): a free-text search and one select, both
 * kept in the address, so applying them navigates to `path` with the new query.
 */
export function SearchFilters({
  path,
  label,
  searchLabel,
  text,
  choice,
}: {
  path: string;
  label: string;
  searchLabel: string;
  text: string | undefined;
  choice: Choice;
}) {
  const t = useT();
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    navigate(withQuery(path, { search: String(form.get('search') ?? '').trim(), [choice.name]: String(form.get(choice.name) ?? '') }));
  };
  return (
    // Keyed by the applied filters so the uncontrolled fields reset when the address changes.
    <form className="filters" role="search" aria-label={label} onSubmit={apply} key={`${text}|${choice.value}`}>
      <label>
        {searchLabel}
        <input type="search" name="search" defaultValue={text ?? ''} maxLength={100} />
      </label>
      <label>
        {choice.label}
        <select name={choice.name} defaultValue={choice.value ?? ''}>
          <option value="">{choice.anyLabel}</option>
          {choice.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{t('accounting.apply')}</button>
    </form>
  );
}
