import { LANGUAGES } from '../i18n';

/** The console's languages as a select's options, each named in itself (so `lang` on each). */
export function LanguageOptions() {
  return (
    <>
      {LANGUAGES.map((option) => (
        <option key={option.code} value={option.code} lang={option.code}>
          {option.label}
        </option>
      ))}
    </>
  );
}
