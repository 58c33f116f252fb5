import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { isLanguage, useI18n } from '../../i18n';
import { navigate, useLocation } from '../../router';
import { HOME } from '../../routes';
import { useSession, useSessionActions, type Session } from '../../session';
import { ErrorMessage, Page } from '../../ui/Page';

/** Only a path inside the console is a place to go back to (never another site). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : HOME;
}

/** After signing in: the person's own language, then the page they were sent here from. */
export function useAfterSignIn() {
  const { signedIn } = useSessionActions();
  const { setLanguage } = useI18n();
  return (session: Session, next: string) => {
    if (isLanguage(session.user.language)) setLanguage(session.user.language);
    signedIn(session);
    navigate(next, { replace: true });
  };
}

export default function SignInPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const next = safeNext(search.get('next'));
  const session = useSession();
  const afterSignIn = useAfterSignIn();
  const errorRef = useRef<HTMLDivElement>(null);
  const signIn = useMutation({
    mutationFn: (body: { email: string; password: string }) => unwrap(api.POST('/v1/session', { body })),
    onSuccess: (answer) => afterSignIn(answer, next),
  });

  // Someone already signed in has nothing to do here.
  useEffect(() => {
    if (session) navigate(next, { replace: true });
  }, [session, next]);
  useEffect(() => {
    if (signIn.isError) errorRef.current?.focus();
  }, [signIn.isError, signIn.failureCount]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signIn.mutate({ email: String(form.get('email') ?? '').trim(), password: String(form.get('password') ?? '') });
  };
  return (
    <Page title={t('signIn.title')}>
      <form className="narrow-form" onSubmit={submit}>
        <div ref={errorRef} tabIndex={-1}>
          {signIn.isError ? <ErrorMessage error={signIn.error} unauthorized={t('signIn.failed')} /> : null}
        </div>
        <label>
          {t('signIn.email')}
          <input type="email" name="email" autoComplete="username" required maxLength={254} />
        </label>
        <label>
          {t('signIn.password')}
          <input type="password" name="password" autoComplete="current-password" required maxLength={1024} />
        </label>
        <button type="submit" disabled={signIn.isPending}>
          {t('signIn.submit')}
        </button>
      </form>
    </Page>
  );
}
