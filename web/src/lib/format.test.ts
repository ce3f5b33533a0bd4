import { describe, expect, it } from "vitest";
import { formatDateTime, formatKRW, seoulLocalToIso, seoulToday } from "./format";

describe("formats", () => {
  it("shows times in Asia/Seoul whatever the machine's zone", () => {
    expect(formatDateTime("2026-12-03T15:30:00Z", "ko")).toBe("2026. 12. 04. 00:30");
  });

  it("shows won without decimals", () => {
    expect(formatKRW(1500000.4)).toBe("₩1,500,000");
  });

  it("reads the Seoul calendar day and wall-clock input", () => {
    expect(seoulToday(new Date("2026-12-03T15:30:00Z"))).toBe("2026-12-04");
    expect(seoulLocalToIso("2026-12-04T09:00")).toBe("2026-12-04T00:00:00.000Z");
  });
});
