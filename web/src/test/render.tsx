// Renders a component inside the providers every screen expects (Korean by default).
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router";
import { I18nProvider, type Locale } from "../lib/i18n";

export function renderUi(ui: ReactElement, locale: Locale = "ko") {
  return render(
    <I18nProvider initial={locale}>
      <MemoryRouter>{ui}</MemoryRouter>
    </I18nProvider>,
  );
}
