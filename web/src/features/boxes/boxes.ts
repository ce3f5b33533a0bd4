import type { Box } from "../../lib/api-client";
import type { MessageKey } from "../../lib/i18n";

/** The 결재함 in menu order, with their catalogue labels. */
export const BOXES: { box: Box; key: MessageKey }[] = [
  { box: "drafts", key: "box.drafts" },
  { box: "submitted", key: "box.submitted" },
  { box: "inbox", key: "box.inbox" },
  { box: "completed", key: "box.completed" },
  { box: "rejected", key: "box.rejected" },
  { box: "cc", key: "box.cc" },
];

export const COUNT_LIMIT = 200;
