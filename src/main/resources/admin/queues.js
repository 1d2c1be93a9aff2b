// Dead-letter queues (the admin key only): each pipeline queue's dead letters, the latest move, and Redrive, which
// sends them back to their queue (every step they name is safe to do again).
import {api} from './api.js';
import {actionButton, fill, h, loading, show, table} from './dom.js';

export async function queuesView({main, fail, clearError}) {
  const list = h('div', null, loading());
  const note = h('p', {class: 'muted', 'aria-live': 'polite', testid: 'dlq-note'});
  show(main, h('h1', null, 'Dead-letter queues'),
    h('p', {class: 'muted'}, 'A message lands here when its function failed on it 5 times. Fix the cause, then '
      + 'redrive: SQS moves the messages back to their queue and the pipeline takes them from where they were.'),
    note, list);

  async function load() {
    await fill(list, () => api('GET', '/admin/dlq', {query: {account_id: null}}), {what: 'Dead-letter queues', fail,
      none: 'No dead-letter queues.', render: items => table(['Queue', 'Dead-letter queue', 'Messages',
        'Being moved', 'Latest redrive', ''], items.map(row))});
  }

  function row(d) {
    const t = d.moveTask;
    const redrive = actionButton('Redrive', {testid: 'dlq-redrive', disabled: d.messages === 0
      || (t && t.status === 'RUNNING')}, async () => {
      const answer = await api('POST', '/admin/dlq/' + encodeURIComponent(d.queue) + '/redrive',
        {query: {account_id: null}});
      show(note, answer.taskHandle
        ? 'Moving ' + answer.messages + ' message(s) of ' + answer.deadLetterQueue + ' back to ' + answer.queue + '.'
        : 'Nothing to move: ' + answer.deadLetterQueue + ' is empty.');
      await load();
      setTimeout(() => { if (main.contains(list)) load(); }, 3000);
    }, {fail, clearError});
    return h('tr', {testid: 'dlq-row', 'data-queue': d.queue},
      h('td', null, d.queue),
      h('td', null, d.deadLetterQueue),
      h('td', {testid: 'dlq-messages', class: d.messages ? 'error-text' : null}, d.messages),
      h('td', null, d.inFlight),
      h('td', {testid: 'dlq-task'}, t ? taskText(t) : '—'),
      h('td', null, redrive));
  }

  await load();
}

// SQS counts what is left to move while a task runs; ElasticMQ reports 0 once it is done.
function taskText(t) {
  const moved = t.status === 'RUNNING' ? t.moved + ' of ' + t.toMove + ' moved' : t.moved + ' moved';
  return t.status + ' · ' + moved + (t.failureReason ? ' · ' + t.failureReason : '');
}
