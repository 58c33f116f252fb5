import { useEffect, useRef, useState, type ReactNode } from 'react';
import { LANGUAGES, useI18n, type Language } from '../i18n';
import { Link, useLocation } from '../router';
import { HOME, routes } from '../routes';
import { useSession } from '../session';

/**
 * The console's frame: a skip link, the banner with the main navigation (a disclosure menu on a
 * phone), the language switch, and the main landmark that receives focus after each navigation so
 * a screen reader starts reading the new page.
 */
export function Layout({ children }: { children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  const { path } = useLocation();
  const session = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const firstPath = useRef(path);

  useEffect(() => {
    if (path !== firstPath.current) {
      firstPath.current = '';
      main.current?.focus();
    }
  }, [path]);

  const navItems = routes.filter((route) => route.nav && !route.public);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="banner">
        <Link to={HOME} className="brand">
          {t('app.name')}
        </Link>
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
          {session ? <span className="who">{t('app.signedInAs', { name: session.user.name })}</span> : null}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
