// Imports: start one, follow its progress live, cancel it, and the account's history of imports.
import {api, session} from './api.js';
import {fill, h, loading, show, table, when} from './dom.js';

const PROVIDERS = ['meta_lead_ads', 'google_ads', 'linkedin_ads', 'tiktok_ads'];
const ACTIVE = new Set(['queued', 'running']);
const REFRESH_MS = 1500;

export async function importsView({main, fail, clearError}) {
  const jobs = h('div', null, loading());
  const connection = h('select', {name: 'connectionId', testid: 'import-connection', 'aria-label': 'Connection'});
  const provider = h('select', {name: 'providerType', testid: 'import-provider', 'aria-label': 'Provider'},
    PROVIDERS.map(p => h('option', {value: p}, p)));
  const formId = h('input', {name: 'formId', testid: 'import-form-id', required: true, placeholder: 'form id',
    autocomplete: 'off', 'aria-label': 'Form id'});
  const since = h('input', {type: 'date', name: 'since', testid: 'import-since', 'aria-label': 'Since'});
  const until = h('input', {type: 'date', name: 'until', testid: 'import-until', 'aria-label': 'Until'});
  let connections = [];

  function fillConnections() {
    const mine = connections.filter(c => c.providerType === provider.value);
    show(connection, mine.length ? mine.map(c => h('option', {value: c.id},
      c.externalId + ' (' + (c.status || 'active') + ')')) : h('option', {value: ''}, 'No ' + provider.value
      + ' connection'));
  }
  provider.addEventListener('change', fillConnections);

  const start = h('button', {type: 'submit', testid: 'import-start', class: 'primary'}, 'Start import');
  const form = h('form', {testid: 'import-form', class: 'card filters', onsubmit: async event => {
    event.preventDefault();
    clearError();
    start.disabled = true;
    try {
      const body = {providerType: provider.value, formId: formId.value.trim()};
      if (session.admin) body.accountId = session.account;
      if (connection.value) body.connectionId = connection.value;
      if (since.value) body.since = since.value + 'T00:00:00Z';
      if (until.value) body.until = until.value + 'T23:59:59Z';
      await api('POST', '/leads/import', {body});
      formId.value = '';
      await refresh();
    } catch (e) {
      fail(e);
    } finally {
      start.disabled = false;
    }
  }}, h('label', null, 'Provider ', provider), h('label', null, 'Connection ', connection),
  h('label', null, 'Form id ', formId), h('label', null, 'Since ', since), h('label', null, 'Until ', until), start);

  show(main, h('h1', null, 'Imports'), form, h('h2', null, 'History'), jobs);

  let timer = null;
  async function refresh() {
    clearTimeout(timer);
    if (!main.contains(jobs)) return; // the user went to another view
    const page = await fill(jobs, () => api('GET', '/leads/import', {query: {limit: 50}}), {what: 'Imports',
      fail, none: 'No imports yet: start one above.',
      render: items => table(['Started', 'Provider', 'Form', 'Status', 'Progress', 'Pages', 'Seen', 'New',
        'Duplicates', 'Errors', 'Finished', ''], items.map(row))});
    if (!page) return;
    if (page.items.some(j => ACTIVE.has(j.status))) timer = setTimeout(refresh, REFRESH_MS);
  }

  function row(job) {
    const running = ACTIVE.has(job.status);
    const cancel = running && !job.cancelRequested ? h('button', {type: 'button', testid: 'import-cancel',
      onclick: async () => {
        clearError();
        try {
          await api('POST', '/leads/import/' + encodeURIComponent(job.jobId) + '/cancel');
          await refresh();
        } catch (e) {
          fail(e);
        }
      }}, 'Cancel') : null;
    // The platforms do not say how many leads a form holds: an open bar while running, a full one once ended.
    const bar = running ? h('progress', {'aria-label': 'Import running'})
      : h('progress', {max: 1, value: 1, 'aria-label': 'Import ' + job.status});
    return h('tr', {testid: 'import-row', 'data-job-id': job.jobId},
      h('td', null, when(job.startedAt || job.createdAt)),
      h('td', null, job.providerType),
      h('td', null, job.formId),
      h('td', null, h('span', {testid: 'import-status', class: 'pill ' + job.status}, job.status),
        job.cancelRequested && running ? h('div', {class: 'muted'}, 'cancelling') : null,
        job.pausedUntil ? h('div', {class: 'muted'}, 'paused until ' + when(job.pausedUntil)) : null,
        job.lastError ? h('div', {class: 'error-text'}, job.lastError) : null),
      h('td', {testid: 'import-progress'}, bar),
      h('td', {'data-count': 'pagesFetched'}, job.pagesFetched),
      h('td', {'data-count': 'leadsSeen'}, job.leadsSeen),
      h('td', {'data-count': 'leadsNew'}, job.leadsNew),
      h('td', {'data-count': 'duplicates'}, job.duplicates),
      h('td', {'data-count': 'errors'}, job.errors),
      h('td', null, when(job.completedAt)),
      h('td', null, cancel));
  }

  try {
    const page = await api('GET', '/connections', {query: {limit: 200}});
    connections = page.items || [];
  } catch (e) {
    fail(e);
  }
  const first = connections.find(c => PROVIDERS.includes(c.providerType));
  if (first) provider.value = first.providerType;
  fillConnections();
  await refresh();
}
