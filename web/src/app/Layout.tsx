// The frame of every signed-in screen: header (bell, language, sign-out), menu, content.
import { useEffect, useRef, useState } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { Icon, type IconName } from "../components/Icon";
import { Bell } from "../features/notifications/Bell";
import { Toasts } from "../features/notifications/Toasts";
import { useAuth, useMe } from "../lib/auth";
import { useI18n, type MessageKey } from "../lib/i18n";
import { LanguageSwitch } from "./LanguageSwitch";

const links: { to: string; key: MessageKey; icon: IconName; admin?: boolean }[] = [
  { to: "/", key: "nav.home", icon: "home" },
  { to: "/new", key: "nav.new", icon: "pen" },
  { to: "/boxes/inbox", key: "nav.boxes", icon: "inbox" },
  { to: "/notifications", key: "nav.notifications", icon: "bell" },
  { to: "/delegations", key: "nav.delegations", icon: "swap" },
  { to: "/attendance", key: "nav.attendance", icon: "clock" },
  { to: "/admin/employees", key: "nav.adminEmployees", icon: "people", admin: true },
  { to: "/admin/departments", key: "nav.adminDepartments", icon: "tree", admin: true },
];

const titles: { prefix: string; key: MessageKey }[] = [
  { prefix: "/new", key: "nav.new" },
  { prefix: "/boxes", key: "nav.boxes" },
  { prefix: "/documents", key: "doc.title" },
  { prefix: "/notifications", key: "nav.notifications" },
  { prefix: "/delegations", key: "nav.delegations" },
  { prefix: "/attendance", key: "nav.attendance" },
  { prefix: "/admin/employees", key: "nav.adminEmployees" },
  { prefix: "/admin/departments", key: "nav.adminDepartments" },
];

/** The window title follows the screen, and focus moves to the new screen's content. */
function useScreenChange(pathname: string) {
  const { t } = useI18n();
  const first = useRef(true);
  useEffect(() => {
    const key = titles.find((entry) => pathname.startsWith(entry.prefix))?.key ?? "nav.home";
    document.title = `${t(key)} · ${t("app.name")}`;
  }, [pathname, t]);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [pathname]);
}

export function Layout() {
  const { t, label } = useI18n();
  useScreenChange(useLocation().pathname);
  const { logout } = useAuth();
  const me = useMe();
  const [menuOpen, setMenuOpen] = useState(false);
  const isAdmin = me.roles.includes("admin");
  useEffect(() => {
    if (!menuOpen) return;
    const close = (event: KeyboardEvent) => {
      if (event.key === "Escape") setMenuOpen(false);
    };
    window.addEventListener("keydown", close);
    return () => window.removeEventListener("keydown", close);
  }, [menuOpen]);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <header className="topbar">
        <button type="button" className="icon-button menu-toggle" aria-label={t("nav.menu")} aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>
          <Icon name="menu" size={22} />
        </button>
        <NavLink to="/" className="brand">
          <span className="brand-seal" aria-hidden="true">
            印
          </span>
          {t("app.name")}
        </NavLink>
        <div className="topbar-right">
          <span className="who">
            {me.employee.name} <span className="muted">{label("position", me.employee.position)}</span>
          </span>
          <Bell />
          <LanguageSwitch />
          <button type="button" className="icon-button" aria-label={t("auth.logout")} onClick={logout}>
            <Icon name="logout" />
          </button>
        </div>
      </header>
      <nav id="main-nav" className={menuOpen ? "sidenav open" : "sidenav"} aria-label={t("nav.label")}>
        <ul>
          {links
            .filter((link) => !link.admin || isAdmin)
            .map((link) => (
              <li key={link.to}>
                <NavLink to={link.to} end={link.to === "/"} onClick={() => setMenuOpen(false)}>
                  <Icon name={link.icon} />
                  {t(link.key)}
                </NavLink>
              </li>
            ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <Toasts />
    </div>
  );
}
