// The typed API client (generated from web/openapi.json) with the session's bearer token.
import createClient from "openapi-fetch";
import type { components, paths } from "./api-schema";
import { storedLocale } from "./i18n";
import { ApiError, type Problem } from "./problem";
import { session, type Session } from "./session";

export type Schemas = components["schemas"];
export type DocumentOut = Schemas["DocumentOut"];
export type StageOut = Schemas["StageOut"];
export type ApproverOut = Schemas["ApproverOut"];
export type EmployeeView = Schemas["EmployeeView"];
export type FormOut = Schemas["FormOut"];
export type InboxItem = Schemas["InboxItem"];
export type NotificationView = Schemas["NotificationView"];
export type Department = Schemas["Department"];
export type Box = Schemas["Box"];
export type Position = Schemas["Position"];

/** fetch that sends the bearer token and the reader's language (the API's problems and
 * notifications speak it), and, on a 401, refreshes once and retries. */
export function authenticatedFetch(current: Session): (input: Request) => Promise<Response> {
  const send = (request: Request): Promise<Response> => {
    const token = current.token;
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    request.headers.set("Accept-Language", storedLocale());
    return fetch(request);
  };
  return async (input) => {
    const retry = input.clone();
    const response = await send(input);
    if (response.status !== 401) return response;
    if (await current.refresh()) {
      const second = await send(retry);
      if (second.status !== 401) return second;
    }
    current.expire();
    return response;
  };
}

export const authFetch = authenticatedFetch(session);

/** Same origin as the page: the SPA is served by Dojang itself (or proxied to it in development). */
export const apiOrigin = (): string => globalThis.location.origin;

export const api = createClient<paths>({ baseUrl: apiOrigin(), fetch: authFetch });

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a 2xx answer; anything else is thrown as an ApiError carrying the problem. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, error as Problem | undefined);
  return data as T;
}
