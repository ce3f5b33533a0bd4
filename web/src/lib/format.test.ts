import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatKRW, formatTime, seoulLocalToIso, seoulToday } from "./format";

describe("formats", () => {
  it("shows times in Asia/Seoul whatever the machine's zone", () => {
    expect(formatDateTime("2026-12-03T15:30:00Z", "ko")).toBe("2026. 12. 4. 00:30");
    expect(formatTime("2026-12-03T15:30:00Z", "en")).toBe("00:30");
  });

  it("spells the month in English so that day and month cannot be swapped", () => {
    expect(formatDateTime("2026-12-03T05:05:00Z", "en")).toBe("3 Dec 2026 14:05");
    expect(formatDate("2026-03-12", "en")).toBe("12 Mar 2026");
    expect(formatDate("2026-03-12", "ko")).toBe("2026. 3. 12.");
  });

  it("keeps a calendar day as it is, and an instant on its Seoul day", () => {
    expect(formatDate("2026-12-31", "en")).toBe("31 Dec 2026");
    expect(formatDate("2026-12-31T16:00:00Z", "en")).toBe("1 Jan 2027");
  });

  it("shows won without decimals", () => {
    expect(formatKRW(1500000.4)).toBe("₩1,500,000");
  });

  it("reads the Seoul calendar day and wall-clock input", () => {
    expect(seoulToday(new Date("2026-12-03T15:30:00Z"))).toBe("2026-12-04");
    expect(seoulLocalToIso("2026-12-04T09:00")).toBe("2026-12-04T00:00:00.000Z");
  });
});
