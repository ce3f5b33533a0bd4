import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { LanguageSwitch } from "../../app/LanguageSwitch";
import { en } from "./en";
import { I18nProvider, useI18n } from "./index";
import { ko } from "./ko";

function Title() {
  const { t } = useI18n();
  return <h1>{t("nav.new")}</h1>;
}

describe("the message catalogue", () => {
  it("has the same keys in Korean and English", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ko).sort());
  });

  it("is Korean by default and remembers the English switch", async () => {
    const first = render(
      <I18nProvider>
        <Title />
        <LanguageSwitch />
      </I18nProvider>,
    );
    expect(screen.getByRole("heading")).toHaveTextContent("기안하기");
    await userEvent.click(screen.getByRole("button", { name: "언어 전환" }));
    expect(screen.getByRole("heading")).toHaveTextContent("New document");
    first.unmount();
    render(
      <I18nProvider>
        <Title />
      </I18nProvider>,
    );
    expect(screen.getByRole("heading")).toHaveTextContent("New document");
  });
});
