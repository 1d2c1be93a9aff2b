// Leads: the newest first with filters and paging; one lead with its data and deliveries, and Retry.
import {api} from './api.js';
import {empty, facts, fill, h, link, loading, show, table, when} from './dom.js';

const PROVIDERS = ['meta_lead_ads', 'google_ads', 'linkedin_ads', 'tiktok_ads'];
const PAGE = 50;
const DELIVERY_STATES = ['pending', 'retrying', 'delivered', 'failed'];
/** Delivery states that will still change by themselves. */
const MOVING = new Set(['pending', 'retrying']);

/** The filters and the cursors walked so far stay in the hash, so Back and a reload keep the page. */
function filtersFromHash() {
  const query = new URLSearchParams(location.hash.split('?')[1] || '');
  return {providerType: query.get('providerType') || '', since: query.get('since') || '',
    until: query.get('until') || '', deliveryStatus: query.get('deliveryStatus') || ''};
}

export async function leadsView({main, fail}) {
  const filters = filtersFromHash();
  const cursors = [null];
  const list = h('div', null, loading());
  const provider = h('select', {name: 'providerType', testid: 'filter-provider', 'aria-label': 'Provider'},
    h('option', {value: ''}, 'All providers'), PROVIDERS.map(p => h('option', {value: p}, p)));
  provider.value = filters.providerType;
  const delivery = h('select', {name: 'deliveryStatus', testid: 'filter-delivery', 'aria-label': 'Delivery status'},
    h('option', {value: ''}, 'Any delivery'), DELIVERY_STATES.map(d => h('option', {value: d}, 'a delivery ' + d)));
  delivery.value = filters.deliveryStatus;
  const since = h('input', {type: 'date', name: 'since', testid: 'filter-since', value: filters.since,
    'aria-label': 'From'});
  const until = h('input', {type: 'date', name: 'until', testid: 'filter-until', value: filters.until,
    'aria-label': 'To'});
  const form = h('form', {class: 'filters', onsubmit: event => {
    event.preventDefault();
    const query = new URLSearchParams();
    if (provider.value) query.set('providerType', provider.value);
    if (since.value) query.set('since', since.value);
    if (until.value) query.set('until', until.value);
    if (delivery.value) query.set('deliveryStatus', delivery.value);
    const hash = '#/leads' + (query.toString() ? '?' + query : '');
    if (location.hash === hash) load(0); else location.hash = hash;
  }}, h('label', null, 'Provider ', provider), h('label', null, 'Deliveries ', delivery),
  h('label', null, 'From ', since), h('label', null, 'To ', until),
  h('button', {type: 'submit', testid: 'filter-apply'}, 'Apply'));
  show(main, h('h1', null, 'Leads'), form, list);

  async function load(index) {
    show(list, loading());
    const page = await fill(list, () => api('GET', '/leads', {query: {limit: PAGE, cursor: cursors[index],
      providerType: filters.providerType, since: filters.since && filters.since + 'T00:00:00Z',
      until: filters.until && filters.until + 'T23:59:59.999Z', deliveryStatus: filters.deliveryStatus}}),
    {what: 'Leads', fail,
    none: index === 0 ? 'No leads yet for these filters.' : 'No more leads.',
    render: (items, page) => [table(['Received', 'Provider', 'Name', 'Email', 'Company', 'Status', 'Deliveries'],
      items.map(row)), pager(index, page)]});
    if (page) cursors[index + 1] = page.nextCursor;
    // A delivery filter reads a stretch of leads per call: none of these may match while older ones do.
    if (page && !page.items.length && page.nextCursor) {
      show(list, empty('No matching lead among the leads read so far; older ones may match.'), pager(index, page));
    }
  }

  function row(lead) {
    return h('tr', {testid: 'lead-row', 'data-lead-id': lead.leadId},
      h('td', null, when(lead.receivedAt || lead.storedAt)),
      h('td', null, lead.providerType),
      h('td', null, link(lead.fullName || [lead.firstName, lead.lastName].filter(Boolean).join(' ')
        || lead.leadId, 'leads', lead.leadId)),
      h('td', null, lead.email || '—'),
      h('td', null, lead.company || '—'),
      h('td', null, lead.status),
      h('td', null, summary(lead.deliveries)));
  }

  function pager(index, page) {
    return h('div', {class: 'pager'},
      h('button', {type: 'button', testid: 'page-prev', disabled: index === 0, onclick: () => load(index - 1)},
        '← Newer'),
      h('span', {class: 'muted'}, 'Page ' + (index + 1)),
      h('button', {type: 'button', testid: 'page-next', disabled: !page.nextCursor, onclick: () => load(index + 1)},
        'Older →'));
  }

  await load(0);
}

function summary(deliveries) {
  if (!deliveries || !deliveries.length) return '—';
  const counts = {};
  for (const d of deliveries) counts[d.status] = (counts[d.status] || 0) + 1;
  return Object.entries(counts).map(([status, n]) => h('span', {class: 'pill ' + status}, n + ' ' + status));
}

export async function leadDetail({main, fail, clearError}, leadId) {
  show(main, loading());
  let lead;
  try {
    lead = await api('GET', '/leads/' + encodeURIComponent(leadId));
  } catch (e) {
    show(main, link('← Leads', 'leads'), empty('This lead could not be loaded.'));
    fail(e);
    return;
  }
  const deliveries = h('section', {class: 'card'});
  const retry = h('button', {type: 'button', testid: 'retry-button', class: 'primary', onclick: async () => {
    clearError();
    retry.disabled = true;
    try {
      await api('POST', '/crm/push/' + encodeURIComponent(leadId));
      await follow();
    } catch (e) {
      fail(e);
    } finally {
      retry.disabled = false;
    }
  }}, 'Retry');

  // After a push the deliveries move by themselves: re-read the lead until none is in motion (at most a minute).
  async function follow() {
    for (let i = 0; i < 60; i++) {
      await new Promise(resolve => setTimeout(resolve, i === 0 ? 300 : 1000));
      if (!main.contains(deliveries)) return;
      lead = await api('GET', '/leads/' + encodeURIComponent(leadId));
      renderDeliveries();
      if (!lead.deliveries.some(d => MOVING.has(d.status))) return;
    }
  }

  function renderDeliveries() {
    show(deliveries, h('div', {class: 'row'}, h('h2', null, 'Deliveries'), retry),
      lead.deliveries.length ? table(['Target', 'Status', 'Attempts', 'Next attempt', 'Last error', 'History'],
        lead.deliveries.map(d => h('tr', {testid: 'delivery-row', 'data-target': d.destinationId || d.url || ''},
          h('td', null, d.type + ' ', h('span', {class: 'muted'}, d.destinationId || d.url || ''),
            d.flowId ? h('div', {class: 'muted'}, 'flow ' + d.flowId + ' v' + d.flowVersion + ' ' + d.flowStep) : null),
          h('td', null, h('span', {testid: 'delivery-status', class: 'pill ' + d.status}, d.status)),
          h('td', null, d.attempts),
          h('td', null, when(d.nextAttemptAt)),
          h('td', {class: 'error-text'}, d.lastError || '—'),
          h('td', null, history(d.history))))) : empty('No deliveries: this lead has no destination to go to.'));
  }

  renderDeliveries();
  const raw = Object.entries(lead.rawFieldData || {});
  const custom = Object.entries(lead.customFields || {});
  show(main, link('← Leads', 'leads'),
    h('article', {testid: 'lead-detail', class: 'stack'},
      h('h1', null, lead.fullName || lead.email || lead.leadId),
      h('section', {class: 'card'}, h('h2', null, 'Lead'), facts([
        ['Lead id', lead.leadId], ['Provider', lead.providerType], ['Provider lead id', lead.providerLeadId],
        ['Email', lead.email], ['First name', lead.firstName], ['Last name', lead.lastName],
        ['Full name', lead.fullName], ['Phone', lead.phoneNumber], ['Company', lead.company],
        ['Form', lead.formId], ['Ad', lead.adId], ['Campaign', lead.campaignId], ['Test lead', lead.isTest ? 'yes' : 'no'],
        ['Received', when(lead.receivedAt)], ['Stored', when(lead.storedAt)], ['Status', lead.status],
        ['Last error', lead.lastError]])),
      h('section', {class: 'card'}, h('h2', null, 'Custom fields'),
        custom.length ? facts(custom) : empty('None.')),
      h('section', {class: 'card'}, h('h2', null, 'Raw field data'),
        raw.length ? facts(raw) : empty('None.')),
      deliveries));
}

function history(entries) {
  if (!entries || !entries.length) return '—';
  return h('details', null, h('summary', null, entries.length + ' send' + (entries.length === 1 ? '' : 's')),
    h('ol', {class: 'history'}, entries.map(e => h('li', null, when(e.at) + ' · ' + e.outcome
      + (e.httpStatus ? ' · HTTP ' + e.httpStatus : '') + (e.detail ? ' · ' + e.detail : '')))));
}
