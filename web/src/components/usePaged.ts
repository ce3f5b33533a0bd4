// A cursor-paged list (`{items, next_cursor}`): first page on change, more on demand.
import { useCallback, useEffect, useRef, useState } from "react";

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export function usePaged<T>(load: (cursor: string | undefined) => Promise<Page<T>>, deps: readonly unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const fetchPage = useCallback((after: string | undefined, append: boolean) => {
    const mine = ++generation.current;
    setLoading(true);
    loader.current(after).then(
      (page) => {
        if (mine !== generation.current) return;
        setItems((previous) => (append ? [...previous, ...page.items] : page.items));
        setCursor(page.next_cursor ?? null);
        setError(null);
        setLoading(false);
      },
      (reason: unknown) => {
        if (mine !== generation.current) return;
        setError(reason);
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    fetchPage(undefined, false);
    // A change of filters starts again from the first page.
  }, [fetchPage, tick, ...deps]);

  const more = useCallback(() => {
    if (cursor) fetchPage(cursor, true);
  }, [cursor, fetchPage]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { items, loading, error, hasMore: cursor !== null, more, reload };
}
