// Connections: each connected ad account's status, token expiry and last poll; Sync now; Connect by OAuth.
import {api} from './api.js';
import {fill, h, loading, show, table, when} from './dom.js';
import {connectByOAuth} from './oauth.js';

const PROVIDERS = ['meta_lead_ads', 'google_ads', 'linkedin_ads', 'tiktok_ads'];
const EXPIRING_MS = 7 * 24 * 3600 * 1000;

export async function connectionsView({main, fail, clearError, notice}) {
  const list = h('div', null, loading());
  const note = h('p', {class: 'muted', 'aria-live': 'polite', testid: 'connections-note'}, notice);
  const connect = h('div', {class: 'card actions'}, h('span', null, 'Connect an ad account: '),
    PROVIDERS.map(type => h('button', {type: 'button', testid: 'connect-' + type, onclick: () => authorize(type)},
      type)));
  show(main, h('h1', null, 'Connections'), connect, note, list);

  async function authorize(type) {
    clearError();
    try {
      await connectByOAuth(type);
    } catch (e) {
      fail(e);
    }
  }

  async function load() {
    await fill(list, () => api('GET', '/connections'), {what: 'Connections', fail,
      none: 'No connections yet: connect an ad account above.',
      render: items => table(['Provider', 'Account', 'Status', 'Token expires', 'Last poll', 'Leads in last poll', ''],
        items.map(row))});
  }

  function row(c) {
    const expires = c.expiresAt ? new Date(c.expiresAt) : null;
    const soon = expires && expires - Date.now() < EXPIRING_MS;
    const sync = h('button', {type: 'button', testid: 'sync-now', onclick: async () => {
      clearError();
      sync.disabled = true;
      try {
        await api('POST', '/connections/' + encodeURIComponent(c.id) + '/sync');
        show(note, 'A poll of ' + c.externalId + ' is queued; this list refreshes in a few seconds.');
        setTimeout(() => { if (main.contains(list)) load(); }, 3000);
      } catch (e) {
        fail(e);
      } finally {
        sync.disabled = false;
      }
    }}, 'Sync now');
    return h('tr', {testid: 'connection-row', 'data-connection-id': c.id},
      h('td', null, c.providerType),
      h('td', null, c.externalId),
      h('td', null, h('span', {testid: 'connection-status', class: 'pill ' + (c.status === 'active' ? 'completed'
        : 'failed')}, c.status), c.statusReason ? h('div', {class: 'error-text'}, c.statusReason) : null),
      h('td', {class: soon ? 'error-text' : null}, expires ? when(c.expiresAt) + (soon ? ' (soon)' : '') : 'never',
        c.hasRefreshToken ? h('div', {class: 'muted'}, 'refreshed automatically') : null),
      h('td', {testid: 'last-poll'}, c.lastPolledAt ? when(c.lastPolledAt) : 'never',
        c.lastPollStatus ? h('div', {class: 'muted'}, c.lastPollStatus) : null,
        c.lastPollError ? h('div', {class: 'error-text'}, c.lastPollError) : null),
      h('td', {'data-count': 'lastPollLeads'}, c.lastPollLeads == null ? '—' : c.lastPollLeads),
      h('td', null, sync));
  }

  await load();
}
