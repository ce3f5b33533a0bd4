import type { ReactNode } from "react";
import { Notice } from "../../components/Notice";
import { useMe } from "../../lib/auth";
import { useI18n } from "../../lib/i18n";

/** Admin screens: others see why they cannot use them (the API refuses them with 403 too). */
export function AdminOnly({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  return me.roles.includes("admin") ? <>{children}</> : <Notice kind="error">{t("admin.forbidden")}</Notice>;
}
