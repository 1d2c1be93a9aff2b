// The JSON API, called with the key the user signed in with. The key lives in sessionStorage only: gone when the
// tab closes or the user signs out, never in localStorage, a cookie or the URL.

const KEY = 'leadsync.apiKey';
const ACCOUNT = 'leadsync.accountId';
const ADMIN = 'leadsync.admin';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  get admin() { return sessionStorage.getItem(ADMIN) === 'true'; },
  /** The account an admin acts for (an account key has its own). */
  get account() { return sessionStorage.getItem(ACCOUNT); },
  signIn(key, admin) {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(ADMIN, String(admin));
  },
  pick(accountId) {
    if (accountId) sessionStorage.setItem(ACCOUNT, accountId);
    else sessionStorage.removeItem(ACCOUNT);
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ADMIN);
    sessionStorage.removeItem(ACCOUNT);
  },
};

/** The API's error: its status, its `error` code and its sentence. */
export class ApiError extends Error {
  constructor(status, code, message, problems) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = problems || [];
  }
}

/**
 * One call. An admin's calls name the picked account (`account_id`), which the API ignores where the path already
 * names the object. `key` overrides the session's (to check a key before keeping it). No cookie goes or is kept,
 * except with `cookies` (OAuth connect: its state is bound to this browser by a cookie the callback checks).
 */
export async function api(method, path, {query = {}, body, key, cookies = false} = {}) {
  const url = new URL(path, location.origin);
  const params = {...query};
  if (session.admin && session.account && !('account_id' in params)) params.account_id = session.account;
  for (const [name, value] of Object.entries(params)) {
    if (value != null && value !== '') url.searchParams.set(name, value);
  }
  const headers = {'x-api-key': key || session.key || '', accept: 'application/json'};
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: cookies ? 'same-origin' : 'omit', cache: 'no-store'});
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'LeadSync could not be reached (' + e.message + ')');
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!response.ok) {
    throw new ApiError(response.status, json && json.error || 'http_' + response.status,
      json && json.message || 'HTTP ' + response.status, json && json.problems);
  }
  return json;
}
