import { useEffect, useRef, useState, type ReactNode } from 'react';
import { LANGUAGES, useI18n, type Language } from '../i18n';
import { isRedirect, Link, useLocation } from '../router';
import { HOME, routes } from '../routes';
import { isOperator, useSession, useSessionActions } from '../session';
import { navigate } from '../router';

/**
 * The console's frame: a skip link, the banner with the main navigation (a disclosure menu on a
 * phone), the language switch, and the main landmark that receives focus after each navigation so
 * a screen reader starts reading the new page.
 */
export function Layout({ children }: { children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  const { path } = useLocation();
  const session = useSession();
  const { signOut } = useSessionActions();
  const operator = isOperator(session);
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const previousPath = useRef(path);

  useEffect(() => {
    if (path === previousPath.current) return;
    previousPath.current = path;
    if (!isRedirect()) main.current?.focus();
  }, [path]);

  // Only the tenant's operators have pages to go to.
  const navItems = operator ? routes.filter((route) => route.nav && !route.public) : [];
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="banner">
        <Link to={HOME} className="brand">
          {t('app.name')}
        </Link>
        {navItems.length > 0 ? (
          <>
            <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
              {t('app.menu')}
            </button>
            <nav id="main-nav" className={menuOpen ? 'main-nav open' : 'main-nav'} aria-label={t('app.mainNav')}>
              <ul>
                {navItems.map((route) => {
                  const active = path === route.path || path.startsWith(`${route.path}/`);
                  return (
                    <li key={route.path}>
                      <Link to={route.path} aria-current={active ? 'page' : undefined} onClick={() => setMenuOpen(false)}>
                        {route.nav ? t(route.nav) : route.path}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
          </>
        ) : null}
        <div className="banner-tools">
          <label className="language">
            <span className="visually-hidden">{t('app.language')}</span>
            <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
              {LANGUAGES.map((option) => (
                <option key={option.code} value={option.code} lang={option.code}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
          {session ? (
            <>
              <span className="who">{t('app.signedInAs', { name: session.user.name })}</span>
              <button type="button" className="secondary" onClick={() => void signOut().finally(() => navigate('/sign-in'))}>
                {t('app.signOut')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
