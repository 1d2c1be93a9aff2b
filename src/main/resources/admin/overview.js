// Overview: leads per day by provider (a uPlot chart and the same numbers as a table), the delivery success of the
// newest leads, the destinations that fail, and the connections that need someone.
import uPlot from './uPlot.esm.js';
import {api} from './api.js';
import {empty, h, link, loading, show, table, when} from './dom.js';

const DAYS = 14;
const SAMPLE = 200;
const EXPIRING_MS = 7 * 24 * 3600 * 1000;
const COLOURS = {meta_lead_ads: '#2457c5', google_ads: '#1f7a3d', linkedin_ads: '#7a3db8', tiktok_ads: '#c0392b'};

export async function overviewView({main, fail}) {
  const chart = h('section', {class: 'card stack', testid: 'overview-leads'}, h('h2', null, 'Leads per day'),
    loading());
  const success = h('section', {class: 'card stack', testid: 'overview-deliveries'},
    h('h2', null, 'Delivery success'), loading());
  const failing = h('section', {class: 'card stack', testid: 'overview-failing'},
    h('h2', null, 'Failing destinations'), loading());
  const attention = h('section', {class: 'card stack', testid: 'overview-attention'},
    h('h2', null, 'Connections that need attention'), loading());
  show(main, h('h1', null, 'Overview'), h('div', {class: 'grid'}, chart, success, failing, attention));

  const [stats, leads, destinations, connections] = await Promise.all([
    api('GET', '/leads/stats', {query: {days: DAYS}}).catch(e => failed(e)),
    api('GET', '/leads', {query: {limit: SAMPLE}}).catch(e => failed(e)),
    api('GET', '/crm/destinations').catch(e => failed(e)),
    api('GET', '/connections', {query: {limit: 200}}).catch(e => failed(e)),
  ]);

  function failed(e) {
    fail(e);
    return null;
  }

  renderChart(chart, stats);
  renderSuccess(success, leads);
  renderFailing(failing, leads, destinations);
  renderAttention(attention, connections);
}

function heading(section) {
  return section.querySelector('h2');
}

function renderChart(section, stats) {
  if (!stats) {
    show(section, heading(section), empty('Lead counts could not be loaded.'));
    return;
  }
  const providers = stats.providerTypes;
  const note = stats.complete ? h('p', {class: 'muted small'}, stats.total + ' leads from ' + stats.since + ' to '
    + stats.until + ' (UTC days).')
    : h('p', {class: 'muted small'}, 'The newest ' + stats.total + ' leads were counted: days before '
      + when(stats.countedBack) + ' are incomplete.');
  const rows = stats.days.map(d => [d.date, ...providers.map(p => d.counts[p] || 0), d.total]);
  const numbers = h('details', null, h('summary', null, 'The numbers'),
    table(['Day', ...providers, 'Total'], rows.map(r => h('tr', {testid: 'overview-day'},
      r.map(c => h('td', null, c))))));
  if (!stats.total) {
    show(section, heading(section), empty('No leads in the last ' + stats.days.length + ' days.'), numbers);
    return;
  }
  const plot = h('div', {class: 'chart', testid: 'overview-chart', role: 'img',
    'aria-label': 'Leads per day by provider, ' + stats.since + ' to ' + stats.until});
  show(section, heading(section), plot, note, numbers);
  const xs = stats.days.map(d => Date.parse(d.date + 'T00:00:00Z') / 1000);
  const data = [xs, ...providers.map(p => stats.days.map(d => d.counts[p] || 0))];
  const draw = () => {
    plot.replaceChildren();
    const width = Math.max(260, plot.clientWidth);
    new uPlot({
      width, height: 220, tzDate: ts => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: {x: {time: true}, y: {range: (u, min, max) => [0, Math.max(1, max)]}},
      axes: [{}, {values: (u, ticks) => ticks.map(t => Number.isInteger(t) ? t : '')}],
      series: [{label: 'Day'}, ...providers.map(p => ({label: p, stroke: COLOURS[p] || '#555', width: 2,
        points: {show: true, size: 5}}))],
    }, data, plot);
  };
  draw();
  // Redrawn when the window changes size (the chart takes its box's width, phone or desktop).
  const resize = () => mainElement().contains(plot) ? draw() : window.removeEventListener('resize', resize);
  window.addEventListener('resize', resize);
}

function mainElement() {
  return document.getElementById('main');
}

/** Counts the deliveries of the newest leads by status. */
function deliveryCounts(leads) {
  const counts = {delivered: 0, retrying: 0, pending: 0, failed: 0};
  for (const lead of leads.items) {
    for (const d of lead.deliveries || []) counts[d.status] = (counts[d.status] || 0) + 1;
  }
  return counts;
}

function renderSuccess(section, leads) {
  if (!leads) {
    show(section, heading(section), empty('Deliveries could not be loaded.'));
    return;
  }
  const counts = deliveryCounts(leads);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (!total) {
    show(section, heading(section), empty(leads.items.length
      ? 'The newest leads have no deliveries: add a destination.' : 'No leads yet.'));
    return;
  }
  const ended = counts.delivered + counts.failed;
  const rate = ended ? Math.round(1000 * counts.delivered / ended) / 10 : null;
  const bar = h('div', {class: 'stacked', role: 'img', 'aria-label': 'Deliveries by status'},
    ['delivered', 'retrying', 'pending', 'failed'].filter(s => counts[s]).map(s => {
      const part = h('span', {class: 'part ' + s, title: s + ': ' + counts[s]});
      part.style.width = (100 * counts[s] / total) + '%';
      return part;
    }));
  show(section, heading(section),
    h('p', {class: 'big', testid: 'overview-success-rate'}, rate == null ? '—' : rate + '%'),
    h('p', {class: 'muted small'}, 'of the finished deliveries of the newest ' + leads.items.length
      + ' leads were delivered'),
    bar,
    h('ul', {class: 'legend'}, ['delivered', 'retrying', 'pending', 'failed'].map(s =>
      h('li', {'data-count': s}, h('span', {class: 'pill ' + s}, s), ' ' + counts[s]))));
}

function renderFailing(section, leads, destinations) {
  if (!leads || !destinations) {
    show(section, heading(section), empty('Destinations could not be loaded.'));
    return;
  }
  const byId = new Map(destinations.items.map(d => [d.id, {d, failed: 0, retrying: 0, lastError: d.lastError}]));
  for (const lead of leads.items) {
    for (const delivery of lead.deliveries || []) {
      const entry = byId.get(delivery.destinationId);
      if (!entry || (delivery.status !== 'failed' && delivery.status !== 'retrying')) continue;
      entry[delivery.status]++;
      entry.lastError = entry.lastError || delivery.lastError;
    }
  }
  const bad = [...byId.values()].filter(e => e.failed || e.retrying || (e.d.enabled && e.d.status !== 'active'));
  if (!bad.length) {
    show(section, heading(section), empty(destinations.items.length ? 'None: every destination is delivering.'
      : 'No destinations yet.'));
    return;
  }
  show(section, heading(section), table(['Destination', 'Status', 'Failed', 'Retrying', 'Last error'],
    bad.map(e => h('tr', {testid: 'failing-destination', 'data-destination-id': e.d.id},
      h('td', null, link(e.d.name, 'destinations'), h('div', {class: 'muted'}, e.d.type)),
      h('td', null, e.d.status),
      h('td', null, e.failed), h('td', null, e.retrying),
      h('td', {class: 'error-text small'}, e.lastError || '—')))),
  h('p', {class: 'muted small'}, 'Failed and retrying deliveries among the newest ' + leads.items.length + ' leads.'));
}

function renderAttention(section, connections) {
  if (!connections) {
    show(section, heading(section), empty('Connections could not be loaded.'));
    return;
  }
  const now = Date.now();
  const reasons = c => {
    const out = [];
    if (c.status && c.status !== 'active') out.push(c.status + (c.statusReason ? ': ' + c.statusReason : ''));
    if (c.expiresAt && !c.hasRefreshToken && Date.parse(c.expiresAt) - now < EXPIRING_MS) {
      out.push('token expires ' + when(c.expiresAt));
    }
    if (c.lastPollStatus === 'failed') out.push('last poll failed' + (c.lastPollError ? ': ' + c.lastPollError : ''));
    return out;
  };
  const needy = connections.items.map(c => ({c, why: reasons(c)})).filter(x => x.why.length);
  if (!needy.length) {
    show(section, heading(section), empty(connections.items.length ? 'None: every connection is healthy.'
      : 'No connections yet.'));
    return;
  }
  show(section, heading(section), table(['Connection', 'Why'], needy.map(({c, why}) =>
    h('tr', {testid: 'attention-connection', 'data-connection-id': c.id},
      h('td', null, link(c.providerType + ' ' + c.externalId, 'connections')),
      h('td', {class: 'error-text small'}, why.map(w => h('div', null, w)))))));
}
