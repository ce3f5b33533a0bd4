import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { translator } from "../../lib/i18n";
import { renderUi } from "../../test/render";
import { FormRenderer } from "./FormRenderer";
import { initialValues, toFieldsBody, validateFields, type FieldSpec, type FieldValues } from "./form-schema";

// The leave and expense forms as GET /api/forms describes them.
const leave: FieldSpec[] = [
  { name: "start_date", type: "date", required: true, label: "First day", label_ko: "시작일" },
  { name: "end_date", type: "date", required: true, label: "Last day", label_ko: "종료일" },
  { name: "days", type: "number", required: true, label: "Days of leave", label_ko: "휴가 일수", exclusive_minimum: 0, multiple_of: 0.5 },
  { name: "leave_type", type: "string", required: true, label: "Kind of leave", label_ko: "휴가 종류", choices: ["annual", "half_day_am", "sick"] },
];
const expense: FieldSpec[] = [
  { name: "amount", type: "number", required: true, label: "Amount", label_ko: "금액", exclusive_minimum: 0 },
  { name: "currency", type: "string", required: false, label: "Currency (ISO 4217)", label_ko: "통화", pattern: "[A-Z]{3}", default: "KRW" },
  { name: "category", type: "string", required: true, label: "Category", label_ko: "분류", choices: ["travel", "meals"] },
];
const t = translator("ko");

let latest: FieldValues = {};

function Harness({ specs, check = false }: { specs: FieldSpec[]; check?: boolean }) {
  const [values, setValues] = useState(initialValues(specs));
  latest = values;
  return <FormRenderer specs={specs} values={values} errors={check ? validateFields(specs, values, t) : {}} onChange={setValues} />;
}

describe("FormRenderer", () => {
  it("renders each field of the schema as a labelled input of its type", () => {
    renderUi(<Harness specs={leave} />);
    expect(screen.getByLabelText("시작일")).toHaveAttribute("type", "date");
    expect(screen.getByRole("spinbutton", { name: "휴가 일수" })).toHaveAttribute("step", "0.5");
    const kind = screen.getByRole("combobox", { name: "휴가 종류" });
    expect([...kind.querySelectorAll("option")].map((o) => o.textContent)).toEqual(["선택하세요", "연차", "오전 반차", "병가"]);
    expect(screen.getByRole("spinbutton", { name: "휴가 일수" })).toBeRequired();
  });

  it("uses the English labels when English is chosen", () => {
    renderUi(<Harness specs={leave} />, "en");
    expect(screen.getByRole("spinbutton", { name: "Days of leave" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "Annual" })).toBeInTheDocument();
  });

  it("starts from the schema's defaults and shows the amount in won", async () => {
    renderUi(<Harness specs={expense} />);
    expect(screen.getByRole("textbox", { name: "통화" })).toHaveValue("KRW");
    await userEvent.type(screen.getByRole("spinbutton", { name: "금액" }), "1234567");
    expect(screen.getByText("₩1,234,567")).toBeInTheDocument();
    expect(latest.amount).toBe("1234567");
  });

  it("marks invalid fields with their messages", async () => {
    renderUi(<Harness specs={leave} check />);
    const days = screen.getByRole("spinbutton", { name: "휴가 일수" });
    await userEvent.type(days, "0.3");
    expect(days).toHaveAttribute("aria-invalid", "true");
    expect(days).toHaveAccessibleDescription("0.5 단위로 입력하세요.");
    expect(screen.getByLabelText("시작일")).toHaveAccessibleDescription("필수 항목입니다.");
  });
});

describe("validateFields", () => {
  it("accepts a complete leave request", () => {
    expect(validateFields(leave, { start_date: "2026-12-07", end_date: "2026-12-08", days: "2", leave_type: "annual" }, t)).toEqual({});
  });

  it("refuses zero days, a last day before the first, and an unknown kind", () => {
    expect(validateFields(leave, { start_date: "2026-12-08", end_date: "2026-12-07", days: "0", leave_type: "holiday" }, t)).toEqual({
      end_date: "종료일은 시작일 이후여야 합니다.",
      days: "0보다 커야 합니다.",
      leave_type: "선택하세요",
    });
  });

  it("checks a pattern on the whole value", () => {
    expect(validateFields(expense, { amount: "10", currency: "KRWX", category: "meals" }, t)).toEqual({ currency: "형식이 올바르지 않습니다." });
  });

  it("sends numbers as numbers and leaves out empty optional fields", () => {
    expect(toFieldsBody(expense, { amount: "15000", currency: "", category: "meals" })).toEqual({ amount: 15000, category: "meals" });
  });
});
