// The panel's shell: sign-in, the account an admin acts for, navigation, the error banner. Views render into #main.
import {api, ApiError, session} from './api.js';
import {h, show} from './dom.js';
import {connectionsView} from './connections.js';
import {destinationsView} from './destinations.js';
import {flowEditor, flowsView} from './flows.js';
import {subscriptionsView} from './subscriptions.js';
import {importsView} from './imports.js';
import {leadDetail, leadsView} from './leads.js';
import {overviewView} from './overview.js';
import {queuesView} from './queues.js';
import {takeOAuthReturn} from './oauth.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const banner = document.getElementById('error-banner');

/** Shows the API's message (or any failure) in the banner; views call it with what they caught. */
export function fail(error) {
  const message = error instanceof ApiError
    ? (error.status ? error.status + ' ' : '') + error.message
    : 'Something went wrong: ' + (error && error.message || error);
  show(banner, h('span', null, message), h('button', {type: 'button', class: 'link', 'aria-label': 'Dismiss',
    onclick: clearError}, '×'));
  banner.hidden = false;
  if (error instanceof ApiError && error.status === 401) signOut();
}

export function clearError() {
  banner.hidden = true;
  banner.replaceChildren();
}

const VIEWS = [
  {id: 'leads', label: 'Leads'},
  {id: 'overview', label: 'Overview'},
  {id: 'imports', label: 'Imports'},
  {id: 'destinations', label: 'Destinations'},
  {id: 'flows', label: 'Flows'},
  {id: 'subscriptions', label: 'Subscriptions'},
  {id: 'connections', label: 'Connections'},
  {id: 'queues', label: 'Queues', admin: true},
];

function signInView() {
  nav.hidden = true;
  who.replaceChildren();
  const input = h('input', {id: 'login-key', testid: 'login-key', type: 'password', autocomplete: 'off',
    required: true, placeholder: 'lsk_… or the admin key', 'aria-label': 'API key'});
  const form = h('form', {class: 'card signin', onsubmit: async event => {
    event.preventDefault();
    clearError();
    await signIn(input.value.trim());
  }},
  h('h1', null, 'Sign in'),
  h('p', {class: 'muted'}, 'With your account\'s API key (from POST /accounts), or the admin key. The key is kept in '
    + 'this tab only and forgotten when you sign out or close it.'),
  h('label', {for: 'login-key'}, 'API key'), input,
  h('button', {type: 'submit', testid: 'login-submit', class: 'primary'}, 'Sign in'));
  show(main, form);
  input.focus();
}

async function signIn(key) {
  if (!key) {
    fail(new ApiError(0, 'invalid', 'Enter an API key'));
    return;
  }
  try {
    // The admin key may list accounts; an account key is refused that (403) but may list its own leads.
    await api('GET', '/accounts', {query: {limit: 1}, key});
    session.signIn(key, true);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 403) {
      fail(e.status === 401 ? new ApiError(401, 'unauthenticated', 'That key was not accepted: ' + e.message) : e);
      return;
    }
    session.signIn(key, false);
  }
  // Signed in on the way back from a consent page: stay on the view it returned to.
  if (!oauthReturn) location.hash = '#/leads';
  await route();
}

function signOut() {
  session.signOut();
  accounts = null;
  location.hash = '';
  signInView();
}

let accounts = null; // this page's list of accounts, read once after an admin signs in

async function accountPicker() {
  const select = h('select', {testid: 'account-select', 'aria-label': 'Account', onchange: () => {
    session.pick(select.value);
    route();
  }}, h('option', {value: ''}, 'Pick an account…'));
  try {
    if (!accounts) {
      const all = [];
      let cursor = null;
      do {
        const page = await api('GET', '/accounts', {query: {limit: 200, cursor, account_id: null}});
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      accounts = all;
    }
  } catch (e) {
    fail(e);
  }
  for (const a of accounts || []) {
    select.append(h('option', {value: a.accountId}, (a.name || '(no name)') + ' · ' + a.accountId));
  }
  select.value = session.account || '';
  return select;
}

async function chrome() {
  nav.hidden = false;
  const current = (location.hash.split('/')[1] || 'leads');
  // The links are made again for each view: one that had the focus gives it to its successor (keyboard users).
  const focused = nav.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
  show(nav, VIEWS.filter(v => !v.admin || session.admin).map(v => h('a', {href: '#/' + v.id, testid: 'nav-' + v.id,
    'aria-current': current === v.id ? 'page' : null}, v.label)));
  if (focused) nav.querySelector('[data-testid="' + focused + '"]').focus();
  const out = h('button', {type: 'button', testid: 'logout', onclick: signOut}, 'Sign out');
  show(who, session.admin ? [h('span', {class: 'muted'}, 'Admin'), await accountPicker()] : [], out);
}

async function route() {
  if (!session.key) {
    signInView();
    return;
  }
  await chrome();
  const [, view, id] = location.hash.split('/').map(decodeURIComponent);
  // The dead-letter queues hold every account's messages: the admin's view, whichever account is picked.
  if (view === 'queues' && session.admin) {
    await queuesView({main, fail, clearError});
    return;
  }
  if (session.admin && !session.account) {
    show(main, h('p', {class: 'card'}, 'Signed in with the admin key: pick the account to act for.'));
    return;
  }
  const notice = view === oauthReturn?.view ? oauthReturn.message : null;
  if (notice) oauthReturn = null;
  const context = {main, fail, clearError, notice};
  if (view === 'leads' && id) await leadDetail(context, id);
  else if (view === 'overview') await overviewView(context);
  else if (view === 'imports') await importsView(context);
  else if (view === 'connections') await connectionsView(context);
  else if (view === 'destinations') await destinationsView(context);
  else if (view === 'flows' && id) await flowEditor(context, id);
  else if (view === 'flows') await flowsView(context);
  else if (view === 'subscriptions') await subscriptionsView(context);
  else await leadsView(context);
}

// Back from a platform's consent page: its view, with what the callback connected (said once).
let oauthReturn = takeOAuthReturn();

window.addEventListener('hashchange', () => {
  clearError();
  route();
});
route();
