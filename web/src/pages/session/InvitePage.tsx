import { useMutation, useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { isApiError } from '../../api/errors';
import { useI18n } from '../../i18n';
import { HOME } from '../../routes';
import { ErrorMessage, Loading, Page } from '../../ui/Page';
import { useAfterSignIn } from './SignInPage';

const MIN_PASSWORD = 12;

/**
 * `/app/invite#<token>`: the link an admin's invitation gives. The token stays in the fragment, so
 * it never reaches a server log; this page reads it once, shows whose invitation it is, and sets
 * the password, which signs the person in.
 */
export default function InvitePage() {
  const { t } = useI18n();
  const [token] = useState(() => decodeURIComponent(window.location.hash.slice(1)));
  const afterSignIn = useAfterSignIn();
  const [mismatch, setMismatch] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);
  const invite = useQuery({
    queryKey: ['invite', token],
    enabled: token !== '',
    retry: false,
    queryFn: () => unwrap(api.GET('/v1/session/invite/{token}', { params: { path: { token } } })),
  });
  const accept = useMutation({
    // Without a password: a magic link, where the server allows it (`password_required: false`).
    mutationFn: (password: string | undefined) =>
      unwrap(api.POST('/v1/session/invite/{token}', { params: { path: { token } }, body: password === undefined ? {} : { password } })),
    onSuccess: (session) => {
      // The fragment has done its work: the address bar no longer shows the token.
      window.history.replaceState(null, '', window.location.pathname);
      afterSignIn(session, HOME);
    },
    onError: () => errorRef.current?.focus(),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    const again = String(form.get('again') ?? '');
    setMismatch(password !== again);
    if (password === again) accept.mutate(password);
  };

  let body;
  if (token === '' || isApiError(invite.error, 404) || isApiError(invite.error, 400)) body = <p className="notice notice-error">{t('invite.invalid')}</p>;
  else if (invite.isPending) body = <Loading />;
  else if (invite.isError) body = <ErrorMessage error={invite.error} onRetry={() => void invite.refetch()} />;
  else
    body = (
      <form className="narrow-form" onSubmit={submit}>
        <p>{t('invite.welcome', { name: invite.data.name, email: invite.data.email })}</p>
        <div ref={errorRef} tabIndex={-1}>
          {accept.isError ? <ErrorMessage error={accept.error} /> : null}
          {mismatch ? (
            <p className="notice notice-error" role="alert">
              {t('invite.mismatch')}
            </p>
          ) : null}
        </div>
        <input type="email" name="email" autoComplete="username" value={invite.data.email} readOnly hidden />
        <label>
          {t('invite.password')}
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD}
            maxLength={1024}
            aria-describedby="password-hint"
          />
        </label>
        <p id="password-hint" className="hint">
          {t('invite.passwordHint', { min: MIN_PASSWORD })}
        </p>
        <label>
          {t('invite.again')}
          <input type="password" name="again" autoComplete="new-password" required minLength={MIN_PASSWORD} maxLength={1024} />
        </label>
        <button type="submit" disabled={accept.isPending}>
          {t('invite.submit')}
        </button>
        {invite.data.password_required ? null : (
          <>
            <p className="hint">{t('invite.orMagic')}</p>
            <button type="button" className="secondary" disabled={accept.isPending} onClick={() => accept.mutate(undefined)}>
              {t('invite.magic')}
            </button>
          </>
        )}
      </form>
    );
  return <Page title={t('invite.title')}>{body}</Page>;
}
