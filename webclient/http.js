// The one way the browser client talks HTTP to the server: same-origin credentials, the CSRF
// token of the page on unsafe methods, the citizen's join token when there is one, and errors
// carrying the server's human message (problem+json "detail").

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

export class HttpError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

// fetch() with our headers; resolves to the Response (ok or not), rejects only when offline.
export function send(url, { method = "GET", json, joinToken, accept = "application/json" } = {}) {
  const headers = { Accept: accept };
  if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrfToken();
  if (joinToken) headers["X-Join-Token"] = joinToken;
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  }
  return fetch(url, init);
}

// send() for JSON APIs: the parsed body, null for 204, HttpError with the server's message.
export async function request(url, options = {}) {
  const response = await send(url, options);
  if (!response.ok) {
    let detail = "";
    try { detail = (await response.json()).detail; } catch { /* not JSON */ }
    throw new HttpError(response.status, detail);
  }
  return response.status === 204 ? null : response.json();
}
