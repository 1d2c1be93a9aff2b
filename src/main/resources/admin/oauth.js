// OAuth connect from the panel: off to the platform's consent page, and the note to show once its callback has
// sent the browser back here (`/admin?connected=<type>&created=N…`, contract §10).
import {api} from './api.js';

/** Sends the browser to the consent page of `type`; the state's cookie is kept for the callback. */
export async function connectByOAuth(type) {
  const answer = await api('GET', '/oauth/' + encodeURIComponent(type) + '/authorize', {cookies: true});
  const target = new URL(answer.authorizeUrl, location.origin);
  // Only a web page: never a javascript: or data: URL, whatever the answer says.
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('not a web address');
  location.assign(target.href);
}

/**
 * What a callback just connected, read once from the address and taken out of it (a reload must not say it again):
 * `{view, message}`, or null when the page was not opened by a callback.
 */
export function takeOAuthReturn() {
  const query = new URLSearchParams(location.search);
  const type = query.get('connected');
  // Anyone can send a link with any query: only a type's name (shown as text) makes a note.
  if (!type || !/^[a-z_]{1,40}$/.test(type)) return null;
  const n = name => Number.parseInt(query.get(name) || '0', 10) || 0;
  const answer = query.has('destinationId') ? destination(type, n) : connections(type, n);
  // Out of the address (a reload must not say it again), onto the view it concerns, without a hashchange.
  history.replaceState(null, '', location.pathname + '#/' + answer.view);
  return answer;
}

function destination(type, n) {
  const resent = n('resent');
  return {view: 'destinations', message: n('created')
    ? 'Connected ' + type + ': a new destination, created disabled. Set its field mapping, then enable it.'
    : 'Reconnected ' + type + ': its destination has the new tokens'
      + (resent ? '; ' + resent + ' waiting deliveries go again.' : '.')};
}

function connections(type, n) {
  const parts = [plural(n('created'), 'new connection'), plural(n('updated'), 'reconnected', true)];
  if (n('connectedElsewhere')) {
    parts.push(plural(n('connectedElsewhere'), 'already connected to another LeadSync account (kept there)', true));
  }
  return {view: 'connections', message: 'Connected ' + type + ': ' + parts.join(', ') + '.'};
}

function plural(count, what, invariable) {
  return count + ' ' + what + (invariable || count === 1 ? '' : 's');
}
