import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n, type Language } from '../i18n';
import { LanguageOptions } from './LanguageOptions';
import { useBrand } from './brand';
import { isRedirect, Link, useLocation } from '../router';
import { audienceOf, HOME, NAV_SECTIONS, routes, type PageRoute } from '../routes';
import { useSession, useSessionActions } from '../session';
import { navigate } from '../router';

/**
 * The console's frame: a skip link, the banner with the language switch, the main navigation (a
 * left sidebar on a wide screen, a disclosure menu behind the Menu button on a narrow one), and the
 * main landmark that receives focus after each navigation so a screen reader starts reading the
 * new page.
 */
export function Layout({ children }: { children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  const { path } = useLocation();
  const session = useSession();
  const brand = useBrand();
  const { signOut } = useSessionActions();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  const previousPath = useRef(path);

  useEffect(() => {
    if (path === previousPath.current) return;
    previousPath.current = path;
    if (!isRedirect()) main.current?.focus();
  }, [path]);

  // Each kind of account navigates among its own pages only.
  const navRoutes = session ? routes.filter((route) => route.nav && !route.public && audienceOf(route) === session.user.role) : [];
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="banner">
        <Link to={HOME} className="brand">
          {brand}
        </Link>
        {navRoutes.length > 0 ? (
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen(!menuOpen)}
            ref={menuButton}
          >
            {t('app.menu')}
          </button>
        ) : null}
        <div className="banner-tools">
          <label className="language">
            <span className="visually-hidden">{t('app.language')}</span>
            <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
              <LanguageOptions />
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
      <div className={navRoutes.length > 0 ? 'frame with-nav' : 'frame'}>
        {navRoutes.length > 0 ? (
          <MainNav
            routes={navRoutes}
            path={path}
            open={menuOpen}
            onNavigate={() => setMenuOpen(false)}
            onClose={() => {
              setMenuOpen(false);
              menuButton.current?.focus();
            }}
          />
        ) : null}
        <main id="main" ref={main} tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

/**
 * The main navigation: one labelled list per section (a screen reader announces "Integrations,
 * list, 6 items"), the current page marked with aria-current. Labelled lists rather than headings,
 * so that the page's own h1 stays the first heading. Escape closes the phone's menu.
 */
function MainNav({
  routes: navRoutes,
  path,
  open,
  onNavigate,
  onClose,
}: {
  routes: PageRoute[];
  path: string;
  open: boolean;
  onNavigate: () => void;
  onClose: () => void;
}) {
  const t = useI18n().t;
  return (
    <nav
      id="main-nav"
      className={open ? 'main-nav open' : 'main-nav'}
      aria-label={t('app.mainNav')}
      onKeyDown={(event) => {
        if (open && event.key === 'Escape') onClose();
      }}
    >
      {NAV_SECTIONS.map((section) => {
        const items = navRoutes.filter((route) => route.nav?.section === section.id);
        if (items.length === 0) return null;
        const labelId = `nav-section-${section.id}`;
        return (
          <div key={section.id} className="nav-section">
            <span id={labelId} className="nav-section-label">
              {t(section.label)}
            </span>
            <ul aria-labelledby={labelId}>
              {items.map((route) => {
                const active = path === route.path || path.startsWith(`${route.path}/`);
                return (
                  <li key={route.path}>
                    <Link to={route.path} aria-current={active ? 'page' : undefined} onClick={onNavigate}>
                      {route.nav ? t(route.nav.label) : route.path}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}
