// Flows: the list; one flow's document edited as JSON (the API's problems shown at their paths), a dry run on a
// sample lead, and its recent runs.
import {api, ApiError, session} from './api.js';
import {empty, facts, fill, h, link, loading, show, table, when} from './dom.js';

/** What a new flow starts from: a valid document to change, not a blank page. */
const NEW_FLOW = {
  name: 'New flow',
  enabled: false,
  trigger: {providerTypes: [], formIds: []},
  steps: [
    {type: 'filter', match: 'all', conditions: [{field: 'email', op: 'exists'}]},
    {type: 'format', field: 'fullName', format: 'title'},
  ],
};

const SAMPLE_LEAD = {
  providerType: 'meta_lead_ads', formId: 'form-1', email: 'jane@example.com', firstName: 'jane', lastName: 'doe',
  fullName: 'jane doe', phoneNumber: '+14155550100', company: 'Acme Inc', customFields: {budget: '$5k-$10k'},
};

/** The parts of a flow a person writes; the rest (id, version, times) the API keeps. */
function editable(flow) {
  return {name: flow.name, enabled: flow.enabled, trigger: flow.trigger, steps: flow.steps};
}

export async function flowsView({main, fail}) {
  const list = h('div', null, loading());
  show(main, h('div', {class: 'row'}, h('h1', null, 'Flows'),
    h('a', {href: '#/flows/new', class: 'button primary', testid: 'flow-new'}, 'New flow')), list);
  await fill(list, () => api('GET', '/flows'), {what: 'Flows', fail,
    none: 'No flows yet: a flow filters, changes and routes each new lead of the account.',
    render: items => table(['Name', 'Status', 'Trigger', 'Steps', 'Version', 'Updated'], items.map(f =>
      h('tr', {testid: 'flow-row', 'data-flow-id': f.id},
        h('td', null, link(f.name, 'flows', f.id)),
        h('td', null, h('span', {class: 'pill ' + (f.enabled ? 'completed' : 'queued')},
          f.enabled ? 'enabled' : 'disabled')),
        h('td', {class: 'small'}, trigger(f.trigger)),
        h('td', null, countSteps(f.steps)),
        h('td', null, f.version),
        h('td', null, when(f.updatedAt)))))});
}

/**
 * Where the value at a problem's path (`steps[2].conditions[0].op`) starts in JSON.stringify(doc, null, 2): the
 * start of its line. The value is swapped for a marker and the text made again; all before the marker is the same.
 */
function locate(doc, path) {
  const keys = path.match(/[^.[\]]+/g) || [];
  const marker = 'leadsync-problem-' + Math.random().toString(36).slice(2);
  for (let n = keys.length; n > 0; n--) {
    const copy = JSON.parse(JSON.stringify(doc));
    let parent = copy;
    for (const k of keys.slice(0, n - 1)) parent = parent != null && typeof parent === 'object' ? parent[k] : null;
    const last = keys[n - 1];
    if (parent == null || typeof parent !== 'object' || !(last in parent)) continue;
    parent[last] = marker;
    const text = JSON.stringify(copy, null, 2);
    const at = text.indexOf('"' + marker + '"');
    return at < 0 ? null : text.lastIndexOf('\n', at) + 1;
  }
  return null;
}

function trigger(t) {
  const parts = [];
  if (t && t.providerTypes && t.providerTypes.length) parts.push(t.providerTypes.join(', '));
  if (t && t.formIds && t.formIds.length) parts.push('forms ' + t.formIds.join(', '));
  return parts.length ? parts.join('; ') : 'every new lead';
}

function countSteps(steps) {
  return (steps || []).reduce((n, s) => n + 1 + countSteps(s.then) + countSteps(s.else), 0);
}

export async function flowEditor({main, fail, clearError}, id) {
  const isNew = id === 'new';
  let flow = null;
  if (!isNew) {
    show(main, loading());
    try {
      flow = await api('GET', '/flows/' + encodeURIComponent(id));
    } catch (e) {
      show(main, link('← Flows', 'flows'), empty('This flow could not be loaded.'));
      fail(e);
      return;
    }
  }
  const json = h('textarea', {testid: 'flow-json', rows: 22, spellcheck: 'false',
    'aria-label': 'Flow document (JSON)'});
  json.value = JSON.stringify(isNew ? NEW_FLOW : editable(flow), null, 2);
  const problems = h('div', {testid: 'flow-problems', 'aria-live': 'polite'});
  const saved = h('span', {class: 'muted', 'aria-live': 'polite', testid: 'flow-saved'});
  const save = h('button', {type: 'submit', class: 'primary', testid: 'flow-save'}, isNew ? 'Create' : 'Save');
  const editor = h('form', {class: 'card stack', testid: 'flow-form', onsubmit: async event => {
    event.preventDefault();
    clearError();
    problems.replaceChildren();
    saved.replaceChildren();
    let body;
    try {
      body = JSON.parse(json.value);
    } catch (e) {
      showProblems([{path: '(document)', message: 'not valid JSON: ' + e.message}]);
      return;
    }
    if (isNew && session.admin) body.accountId = session.account;
    save.disabled = true;
    try {
      const stored = isNew ? await api('POST', '/flows', {body})
        : await api('PUT', '/flows/' + encodeURIComponent(flow.id), {body});
      if (isNew) {
        location.hash = '#/flows/' + encodeURIComponent(stored.id);
        return;
      }
      flow = stored;
      json.value = JSON.stringify(editable(flow), null, 2);
      show(saved, 'Saved as version ' + flow.version + '.');
      show(heading, flow.name);
    } catch (e) {
      fail(e);
      if (e instanceof ApiError && e.problems.length) showProblems(e.problems);
    } finally {
      save.disabled = false;
    }
  }},
  h('div', {class: 'row'}, h('h2', null, 'Document'), flow ? h('span', {class: 'muted'}, 'version ' + flow.version
    + ' · updated ' + when(flow.updatedAt)) : null),
  h('p', {class: 'muted small'}, 'Steps: filter, branch, set, format, deliver, webhook, stop (contract §8). '
    + 'A webhook step\'s secret is never shown; leave "hasSecret" as it is to keep it.'),
  json, problems, h('div', {class: 'actions'}, save, saved));

  function showProblems(list) {
    show(problems, h('p', {class: 'error-text'}, 'The flow was not saved:'),
      h('ul', {class: 'problems'}, list.map(p => h('li', {testid: 'flow-problem', 'data-path': p.path},
        h('code', null, p.path), ' ', p.message))));
    // Select the line of the first problem in the document (or of the nearest part of its path that exists).
    let doc;
    try { doc = JSON.parse(json.value); } catch (e) { return; }
    const at = locate(doc, String(list[0].path));
    if (at == null) return;
    json.value = JSON.stringify(doc, null, 2);
    const end = json.value.indexOf('\n', at);
    json.focus();
    json.setSelectionRange(at, end < 0 ? json.value.length : end);
  }

  const heading = h('h1', null, isNew ? 'New flow' : flow.name);
  const sections = [link('← Flows', 'flows'), heading, editor];
  if (!isNew) sections.push(testCard(flow.id, fail, clearError), await runsCard(flow.id, fail));
  show(main, h('div', {class: 'stack'}, sections));
}

function testCard(flowId, fail, clearError) {
  const sample = h('textarea', {testid: 'flow-sample', rows: 8, spellcheck: 'false',
    'aria-label': 'Sample lead (JSON)'});
  sample.value = JSON.stringify(SAMPLE_LEAD, null, 2);
  const result = h('div', {testid: 'flow-test-result', 'aria-live': 'polite'});
  const run = h('button', {type: 'submit', testid: 'flow-test'}, 'Run test');
  return h('form', {class: 'card stack', onsubmit: async event => {
    event.preventDefault();
    clearError();
    let lead;
    try {
      lead = JSON.parse(sample.value);
    } catch (e) {
      fail(new ApiError(0, 'invalid', 'The sample lead is not valid JSON: ' + e.message));
      return;
    }
    run.disabled = true;
    try {
      const answer = await api('POST', '/flows/' + encodeURIComponent(flowId) + '/test', {body: {lead}});
      show(result, testResult(answer));
    } catch (e) {
      result.replaceChildren();
      fail(e);
    } finally {
      run.disabled = false;
    }
  }}, h('h2', null, 'Test on a sample lead'),
  h('p', {class: 'muted small'}, 'Runs the saved version on this lead. Nothing is stored or sent.'),
  sample, h('div', {class: 'actions'}, run), result);
}

function testResult(answer) {
  const r = answer.run;
  return [
    facts([['Trigger matches', answer.triggerMatches ? 'yes' : 'no (a real lead like this would not run it)'],
      ['Outcome', h('span', {testid: 'flow-test-outcome', class: 'pill ' + (r.outcome === 'failed' ? 'failed'
        : 'completed')}, r.outcome)]]),
    h('h3', null, 'Steps'), steps(r.steps),
    h('h3', null, 'Actions'), r.actions.length ? h('ul', null, r.actions.map(a => h('li', null,
      a.path + ': ' + a.type + ' → ' + (a.destinationId || a.url)))) : empty('None: nothing would be sent.'),
    h('h3', null, 'Resulting lead'), facts(Object.entries(answer.lead || {}).filter(([, v]) => v != null)),
  ];
}

function steps(list) {
  return list && list.length ? h('ol', {class: 'history'}, list.map(s => h('li', null, h('code', null, s.path), ' '
    + s.type + ' · ' + s.result + (s.detail ? ' · ' + s.detail : '')))) : empty('No step ran.');
}

async function runsCard(flowId, fail) {
  const body = h('div', null, loading());
  const card = h('section', {class: 'card stack'}, h('h2', null, 'Recent runs'), body);
  await fill(body, () => api('GET', '/flows/' + encodeURIComponent(flowId) + '/runs', {query: {limit: 20}}),
    {what: 'Runs', fail, none: 'No runs yet: the flow runs on each new lead of the account once enabled.',
      render: items => table(['Ran', 'Lead', 'Outcome', 'Version', 'Steps'], items.map(r =>
        h('tr', {testid: 'flow-run'},
          h('td', null, when(r.ranAt)),
          h('td', null, link(r.leadId, 'leads', r.leadId)),
          h('td', null, h('span', {class: 'pill ' + (r.outcome === 'failed' ? 'failed' : 'completed')}, r.outcome)),
          h('td', null, r.flowVersion),
          h('td', null, h('details', null, h('summary', null, r.steps.length + ' steps'), steps(r.steps))))))});
  return card;
}
