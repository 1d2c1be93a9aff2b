// Subscriptions: webhooks that get the account's events (contract §3, §9); create, edit, enable or disable, test.
// The signing secret is write-only: the API says whether one is set; a blank field keeps it.
import {api, session} from './api.js';
import {actionButton, fill, outcome, h, loading, show, table, when} from './dom.js';

const PROVIDERS = ['meta_lead_ads', 'google_ads', 'linkedin_ads', 'tiktok_ads'];
const EVENT_TYPES = ['lead.created', 'delivery.failed', 'connection.expiring', 'connection.needs_reauth',
  'import.completed', 'import.failed'];

export async function subscriptionsView({main, fail, clearError}) {
  const list = h('div', null, loading());
  const editor = h('div');
  show(main, h('div', {class: 'row'}, h('h1', null, 'Subscriptions'),
    h('button', {type: 'button', class: 'primary', testid: 'subscription-new', onclick: () => edit(null)},
      'New subscription')), editor, list);

  async function load() {
    await fill(list, () => api('GET', '/webhooks/subscriptions'), {what: 'Subscriptions', fail,
      none: 'No subscriptions yet: add one to have new leads and events POSTed to your endpoint.',
      render: items => table(['Provider', 'Callback URL', 'Events', 'Signed', 'Status', 'Created', ''],
        items.map(row))});
  }

  function row(s) {
    const result = h('div', {testid: 'subscription-test-result', 'aria-live': 'polite'});
    const test = actionButton('Send test', {testid: 'subscription-test'}, async () => {
      show(result, h('span', {class: 'muted'}, 'Sending…'));
      const answer = await api('POST', '/webhooks/subscriptions/' + encodeURIComponent(s.id) + '/test');
      show(result, outcome(answer));
    }, {fail, clearError, onFailure: () => result.replaceChildren()});
    const toggle = actionButton(s.enabled ? 'Disable' : 'Enable', {testid: 'subscription-toggle'}, async () => {
      await api('PUT', '/webhooks/subscriptions/' + encodeURIComponent(s.id), {body: {enabled: !s.enabled}});
      await load();
    }, {fail, clearError});
    let armed = false;
    const remove = h('button', {type: 'button', testid: 'subscription-delete', onclick: async () => {
      if (!armed) {
        armed = true;
        show(remove, 'Really delete?');
        return;
      }
      clearError();
      try {
        await api('DELETE', '/webhooks/subscriptions/' + encodeURIComponent(s.id));
        await load();
      } catch (e) {
        fail(e);
      }
    }, onblur: () => {
      armed = false;
      show(remove, 'Delete');
    }}, 'Delete');
    return h('tr', {testid: 'subscription-row', 'data-subscription-id': s.id},
      h('td', null, s.providerType),
      h('td', null, s.callbackUrl),
      h('td', {class: 'small'}, events(s)),
      h('td', {testid: 'subscription-secret'}, s.hasSecret ? 'set' : 'no'),
      h('td', null, h('span', {testid: 'subscription-status', class: 'pill ' + (s.enabled ? 'completed' : 'queued')},
        s.enabled ? 'enabled' : 'disabled')),
      h('td', null, when(s.createdAt)),
      h('td', null, h('div', {class: 'actions tight'}, toggle,
        h('button', {type: 'button', testid: 'subscription-edit', onclick: () => edit(s)}, 'Edit'), test, remove),
      result));
  }

  /** The create (s null) or edit form. */
  function edit(s) {
    clearError();
    const provider = h('select', {testid: 'subscription-provider', 'aria-label': 'Provider', disabled: !!s},
      PROVIDERS.map(p => h('option', {value: p}, p)));
    provider.value = s ? s.providerType : PROVIDERS[0];
    const url = h('input', {testid: 'subscription-url', type: 'url', required: true, value: s ? s.callbackUrl : '',
      placeholder: 'https://example.com/leadsync', autocomplete: 'off', 'aria-label': 'Callback URL'});
    const chosen = new Set(s ? s.eventTypes || (s.eventType ? ['lead.created'] : []) : ['lead.created']);
    const boxes = EVENT_TYPES.map(t => h('label', {class: 'check'},
      h('input', {type: 'checkbox', value: t, checked: chosen.has(t), 'data-event-type': t}), t));
    const secret = h('input', {testid: 'subscription-secret-input', type: 'password', autocomplete: 'off',
      'aria-label': 'Signing secret',
      placeholder: s && s.hasSecret ? 'set (leave blank to keep)' : 'whsec_… (optional)'});
    const removeSecret = s && s.hasSecret ? h('input', {type: 'checkbox', testid: 'subscription-secret-remove'}) : null;
    const enabled = h('input', {type: 'checkbox', testid: 'subscription-enabled', checked: s ? s.enabled : true});
    const save = h('button', {type: 'submit', class: 'primary', testid: 'subscription-save'}, s ? 'Save' : 'Create');
    const form = h('form', {class: 'card stack', testid: 'subscription-form', onsubmit: async event => {
      event.preventDefault();
      clearError();
      const body = {callbackUrl: url.value.trim(), enabled: enabled.checked,
        eventTypes: boxes.map(b => b.querySelector('input')).filter(b => b.checked).map(b => b.value)};
      if (secret.value.trim()) body.callbackSecret = secret.value.trim();
      else if (removeSecret && removeSecret.checked) body.callbackSecret = null;
      if (!s && session.admin) body.accountId = session.account;
      save.disabled = true;
      try {
        if (s) await api('PUT', '/webhooks/subscriptions/' + encodeURIComponent(s.id), {body});
        else await api('POST', '/webhooks/' + encodeURIComponent(provider.value) + '/subscribe', {body});
        editor.replaceChildren();
        await load();
      } catch (e) {
        fail(e);
      } finally {
        save.disabled = false;
      }
    }},
    h('h2', null, s ? 'Edit subscription' : 'New subscription'),
    h('div', {class: 'filters'}, h('label', null, 'Provider ', provider),
      h('label', {class: 'grow'}, 'Callback URL ', url), h('label', {class: 'check'}, enabled, ' Enabled')),
    h('fieldset', null, h('legend', null, 'Events'), h('div', {class: 'actions tight'}, boxes)),
    h('label', {class: 'stack tight'}, h('span', null, 'Signing secret (Standard Webhooks; write-only)'), secret),
    removeSecret ? h('label', {class: 'check'}, removeSecret, ' Remove the secret (send unsigned)') : null,
    h('div', {class: 'actions'}, save, h('button', {type: 'button', onclick: () => editor.replaceChildren()},
      'Cancel')));
    show(editor, form);
    url.focus();
  }

  await load();
}

function events(s) {
  if (s.eventTypes) return s.eventTypes.length ? s.eventTypes.join(', ') : 'none';
  return s.eventType === '*' || s.eventType === 'leadgen' ? 'lead.created' : s.eventType;
}
