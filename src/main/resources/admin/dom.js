// Builds the page from data. Text always goes in as text nodes (lead data comes from strangers): nothing here
// parses a string as HTML, and no attribute takes a URL from data.

/** An element: h('td', {class: 'x', testid: 'lead-row', onclick: fn}, 'text', child, [more]). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (name === 'testid') el.dataset.testid = value;
    else if (name === 'class') el.className = value;
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'value') el.value = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  return add(el, children);
}

function add(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces what el holds with children. */
export function show(el, ...children) {
  el.replaceChildren();
  return add(el, children);
}

/** An in-panel link (ids are encoded: a hash route never carries markup or a scheme). */
export function link(text, ...path) {
  return h('a', {href: '#/' + path.map(encodeURIComponent).join('/')}, text);
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

export function loading() {
  return h('p', {class: 'muted', testid: 'loading', 'aria-live': 'polite'}, 'Loading…');
}

export function empty(text) {
  return h('p', {class: 'muted empty', testid: 'empty'}, text);
}

/** A table of label/value rows, values shown as text (objects as JSON). */
export function facts(entries) {
  return h('dl', {class: 'facts'}, entries.map(([label, value]) => [
    h('dt', null, label),
    h('dd', null, value == null || value === '' ? '—' : typeof value === 'object' && !(value instanceof Node)
      ? JSON.stringify(value) : value),
  ]));
}

/** A scrollable table: headings, then rows (arrays of cells, or ready tr elements). */
export function table(headings, rows) {
  return h('div', {class: 'scroll'}, h('table', null,
    h('thead', null, h('tr', null, headings.map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', null, rows.map(r => r instanceof Node ? r : h('tr', null, r.map(c => h('td', null, c)))))));
}

/**
 * Loads a list into el: the rendered items, the `none` text when there are none, or "`what` could not be loaded"
 * with the error in the banner. Returns the page, or null when it could not be loaded.
 */
export async function fill(el, load, {what, none, render, fail}) {
  let page;
  try {
    page = await load();
  } catch (e) {
    show(el, empty(what + ' could not be loaded.'));
    fail(e);
    return null;
  }
  const items = page.items || [];
  show(el, items.length ? render(items, page) : empty(none));
  return page;
}

/**
 * A button that runs an async action: the banner cleared first, the button disabled while it runs, a failure shown
 * in the banner (after `onFailure`, e.g. to clear a half-shown result).
 */
export function actionButton(label, props, run, {fail, clearError, onFailure}) {
  const button = h('button', {type: 'button', ...props, onclick: async () => {
    clearError();
    button.disabled = true;
    try {
      await run();
    } catch (e) {
      if (onFailure) onFailure();
      fail(e);
    } finally {
      button.disabled = false;
    }
  }}, label);
  return button;
}

/** A check's answer ({"ok", "message"}) as an ok/failed pill and its message. */
export function outcome(answer) {
  return [h('span', {class: 'pill ' + (answer.ok ? 'delivered' : 'failed')}, answer.ok ? 'ok' : 'failed'), ' ',
    answer.message];
}
