// A status or error line that screen readers announce.
export function Notice({ kind, children }: { kind: "error" | "info" | "success"; children: React.ReactNode }) {
  return (
    <p className={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </p>
  );
}
