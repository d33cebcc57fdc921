// The REST API as the editor uses it: same-origin, with the page's CSRF token.

const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

/** Call the API; resolves to {status, ok, body, etag} and never throws for an HTTP error. */
export async function call(method, url, body, headers = {}) {
  const options = {method, credentials: "same-origin",
                   headers: {"Accept": "application/json", "X-CSRF-Token": csrf, ...headers}};
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    return {status: 0, ok: false, body: {error: {message: "the server did not answer; your text is kept here"}}};
  }
  const data = await response.json().catch(() => null);
  return {status: response.status, ok: response.ok, body: data, etag: response.headers.get("ETag")};
}

/** What went wrong, in a sentence. */
export function why(answer) {
  const body = answer.body || {};
  const message = (body.error && (body.error.message || body.error)) || body.message;
  return typeof message === "string" ? message : `the server answered ${answer.status}`;
}
