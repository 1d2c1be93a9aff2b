// Destinations: the account's CRMs and HTTP endpoints; create, edit, enable or disable, and test each one.
// Secrets are write-only: the API says which are set, never what they are; a blank secret field keeps the stored
// one.
import {api, ApiError, session} from './api.js';
import {actionButton, fill, outcome, h, loading, show, table, when} from './dom.js';
import {connectByOAuth} from './oauth.js';

export async function destinationsView({main, fail, clearError, notice}) {
  const list = h('div', null, loading());
  const editor = h('div');
  const connect = h('div', {class: 'card actions', hidden: true});
  const note = h('p', {class: 'muted', 'aria-live': 'polite', testid: 'destinations-note'}, notice);
  let types = [];
  const create = h('button', {type: 'button', class: 'primary', testid: 'destination-new',
    onclick: () => edit(null)}, 'New destination');
  show(main, h('div', {class: 'row'}, h('h1', null, 'Destinations'), create), connect, note, editor, list);

  async function load() {
    await fill(list, () => api('GET', '/crm/destinations'), {what: 'Destinations', fail,
      none: 'No destinations yet: leads are stored but go nowhere until you add one.',
      render: items => table(['Name', 'Type', 'Status', 'Receives', 'Settings', 'Updated', ''], items.map(row))});
  }

  function row(d) {
    const result = h('div', {testid: 'destination-test-result', 'aria-live': 'polite'});
    const test = actionButton('Test', {testid: 'destination-test'}, async () => {
      show(result, h('span', {class: 'muted'}, 'Testing…'));
      const answer = await api('POST', '/crm/destinations/' + encodeURIComponent(d.id) + '/test');
      show(result, outcome(answer),
        answer.unknownFields && answer.unknownFields.length
          ? h('div', {class: 'error-text'}, 'Unknown CRM fields: ' + answer.unknownFields.join(', ')) : null);
    }, {fail, clearError, onFailure: () => result.replaceChildren()});
    const toggle = actionButton(d.enabled ? 'Disable' : 'Enable', {testid: 'destination-toggle'}, async () => {
      await api('PUT', '/crm/destinations/' + encodeURIComponent(d.id), {body: {enabled: !d.enabled}});
      await load();
    }, {fail, clearError});
    const settings = Object.entries(d.config || {}).map(([k, v]) => h('div', null, k + ': ' + v))
      .concat((d.secretsSet || []).map(k => h('div', {testid: 'secret-set'}, k + ': set')));
    const mapping = Object.entries(d.fieldMapping || {});
    return h('tr', {testid: 'destination-row', 'data-destination-id': d.id},
      h('td', null, d.name),
      h('td', null, d.type),
      h('td', null, h('span', {testid: 'destination-status', class: 'pill ' + (!d.enabled ? 'queued'
        : d.status === 'active' ? 'completed' : 'failed')}, d.enabled ? d.status : 'disabled'),
      d.lastError ? h('div', {class: 'error-text'}, d.lastError) : null),
      h('td', null, d.receives === 'flows' ? 'only from flows' : 'every lead'),
      h('td', {class: 'small'}, settings.length ? settings : '—',
        mapping.length ? h('div', {class: 'muted'}, 'Mapping: ' + mapping.map(([f, t]) => f + ' → ' + t).join(', '))
          : null),
      h('td', null, when(d.updatedAt)),
      h('td', null, h('div', {class: 'actions tight'}, toggle,
        h('button', {type: 'button', testid: 'destination-edit', onclick: () => edit(d)}, 'Edit'), test), result));
  }

  /** The create (d null) or edit form: type-specific settings, other settings, the field mapping. */
  function edit(d) {
    clearError();
    const type = h('select', {testid: 'destination-type', 'aria-label': 'Type', disabled: !!d},
      types.map(t => h('option', {value: t.type}, t.type)));
    if (d) type.append(h('option', {value: d.type}, d.type));
    type.value = d ? d.type : (types[0] && types[0].type) || '';
    const name = h('input', {testid: 'destination-name', required: true, value: d ? d.name : '',
      autocomplete: 'off', 'aria-label': 'Name'});
    const receives = h('select', {testid: 'destination-receives', 'aria-label': 'Receives'},
      h('option', {value: 'all'}, 'every lead of the account'),
      h('option', {value: 'flows'}, 'only leads its flows send'));
    receives.value = d ? d.receives : 'all';
    const enabled = h('input', {type: 'checkbox', testid: 'destination-enabled', checked: d ? d.enabled : true});
    const settings = h('div', {class: 'stack tight'});
    const mapping = h('textarea', {testid: 'destination-mapping', rows: 4, 'aria-label': 'Field mapping',
      placeholder: 'email = Email\ncustomFields.budget = Budget__c'});
    mapping.value = Object.entries(d ? d.fieldMapping || {} : {}).map(([f, t]) => f + ' = ' + t).join('\n');

    function fillSettings() {
      const spec = types.find(t => t.type === type.value) || {endpointKeys: [], secretKeys: []};
      const known = new Set([...spec.endpointKeys, ...spec.secretKeys]);
      const others = Object.entries(d ? d.config || {} : {}).filter(([k]) => !known.has(k));
      show(settings,
        spec.endpointKeys.map(k => setting(k, d && d.config ? d.config[k] : '', false, false)),
        spec.secretKeys.map(k => setting(k, '', true, d && (d.secretsSet || []).includes(k))),
        others.map(([k, v]) => setting(k, v, false, false, true)));
    }

    function setting(key, value, secret, isSet, custom) {
      const keyInput = custom ? h('input', {class: 'setting-key', value: key, 'aria-label': 'Setting name',
        placeholder: 'setting', autocomplete: 'off'}) : null;
      const valueInput = h('input', {class: 'setting-value', 'data-key': key, type: secret ? 'password' : 'text',
        value, autocomplete: 'off', 'aria-label': key || 'Setting value',
        placeholder: secret ? (isSet ? 'set (leave blank to keep)' : 'not set') : ''});
      return h('label', {class: 'setting', testid: 'destination-setting'},
        keyInput || h('span', null, key + (secret ? ' (secret)' : '')), valueInput);
    }
    type.addEventListener('change', fillSettings);
    fillSettings();
    const addSetting = h('button', {type: 'button', onclick: () => {
      const row = setting('', '', false, false, true);
      settings.append(row);
      row.querySelector('input').focus();
    }}, 'Add a setting');

    const save = h('button', {type: 'submit', class: 'primary', testid: 'destination-save'}, d ? 'Save' : 'Create');
    const form = h('form', {class: 'card stack', testid: 'destination-form', onsubmit: async event => {
      event.preventDefault();
      clearError();
      let body;
      try {
        body = {name: name.value.trim(), enabled: enabled.checked, receives: receives.value,
          config: collect(settings), fieldMapping: parseMapping(mapping.value)};
      } catch (e) {
        fail(e);
        return;
      }
      if (!d) {
        body.type = type.value;
        if (session.admin) body.accountId = session.account;
      }
      save.disabled = true;
      try {
        if (d) await api('PUT', '/crm/destinations/' + encodeURIComponent(d.id), {body});
        else await api('POST', '/crm/destinations', {body});
        editor.replaceChildren();
        await load();
      } catch (e) {
        fail(e);
      } finally {
        save.disabled = false;
      }
    }},
    h('h2', null, d ? 'Edit ' + d.name : 'New destination'),
    h('div', {class: 'filters'}, h('label', null, 'Type ', type), h('label', null, 'Name ', name),
      h('label', null, 'Receives ', receives), h('label', {class: 'check'}, enabled, ' Enabled')),
    h('fieldset', null, h('legend', null, 'Settings'), settings, addSetting),
    h('label', {class: 'stack tight'}, h('span', null, 'Field mapping: one "lead field = CRM field" per line'),
      mapping),
    h('div', {class: 'actions'}, save, h('button', {type: 'button', onclick: () => editor.replaceChildren()},
      'Cancel')));
    show(editor, form);
    name.focus();
  }

  try {
    types = (await api('GET', '/crm/destination-types')).items;
  } catch (e) {
    fail(e);
  }
  const viaOAuth = types.filter(t => t.oauth).map(t => t.type);
  if (viaOAuth.length) {
    show(connect, h('span', null, 'Connect a CRM account: '), viaOAuth.map(type => h('button', {type: 'button',
      testid: 'connect-' + type, onclick: async () => {
        clearError();
        try {
          await connectByOAuth(type);
        } catch (e) {
          fail(e);
        }
      }}, type)));
    connect.hidden = false;
  }
  await load();
}

/** The settings the form holds; a blank value is left out (for a secret: keep the stored one). */
function collect(settings) {
  const config = {};
  for (const row of settings.querySelectorAll('.setting')) {
    const keyInput = row.querySelector('.setting-key');
    const value = row.querySelector('.setting-value').value.trim();
    const key = keyInput ? keyInput.value.trim() : row.querySelector('.setting-value').dataset.key;
    if (key && value) config[key] = value;
  }
  return config;
}

function parseMapping(text) {
  const mapping = {};
  text.split('\n').map(line => line.trim()).filter(Boolean).forEach((line, i) => {
    const at = line.indexOf('=');
    const from = at < 0 ? '' : line.slice(0, at).trim();
    const to = at < 0 ? '' : line.slice(at + 1).trim();
    if (!from || !to) {
      throw new ApiError(0, 'invalid', 'Field mapping line ' + (i + 1) + ' is not "lead field = CRM field": '
        + line);
    }
    mapping[from] = to;
  });
  return mapping;
}
