// The c360 review page: plain JavaScript over the JSON API of
// server/review_http.h (POST /api/steward/METHOD with the proto request as
// JSON). Every value from the store is put into the page as text, never as
// HTML.
'use strict';

const $ = (selector) => document.querySelector(selector);

// ---- the API ---------------------------------------------------------

function authHeaders() {
  const token = sessionStorage.getItem('c360-token') || '';
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function answer(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.message || `HTTP ${response.status}`);
    error.code = body.code || String(response.status);
    throw error;
  }
  return body;
}

// Calls StewardService.METHOD with `request`; rejects with the server's
// message on an error.
async function steward(method, request) {
  const response = await fetch(`/api/steward/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...authHeaders() },
    body: JSON.stringify(request),
  });
  return answer(response);
}

async function profile(entityId) {
  const response = await fetch(
      `/api/profile/${encodeURIComponent(entityId)}?records=1`,
      { headers: authHeaders() });
  return answer(response);
}

// ---- small helpers ---------------------------------------------------

// An element with attributes/properties and children (strings become text).
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function say(text, kind = 'ok') {
  const box = $('#message');
  box.textContent = text;
  box.className = kind;
  box.hidden = false;
}

function sayError(error) {
  say(`${error.code ? error.code + ': ' : ''}${error.message}`, 'error');
}

const keyOf = (key) => (key ? `${key.source}/${key.source_id}` : '');
const score = (value) => Number(value || 0).toFixed(2);
const when = (stamp) => (stamp ? new Date(stamp).toLocaleString() : '');

function nameOf(name) {
  return name.full || [name.given, name.middle, name.family].filter(Boolean).join(' ');
}

function addressOf(a) {
  return [[a.street, a.house_number].filter(Boolean).join(' '),
          [a.postcode, a.city].filter(Boolean).join(' '), a.country]
      .filter(Boolean).join(', ');
}

// A SourceRecord as a card of its non-empty fields.
function recordCard(record, matched) {
  const rows = [
    ['name', (record.names || []).map(nameOf)],
    ['birth date', [record.birth_date]],
    ['email', record.emails || []],
    ['phone', record.phones || []],
    ['address', (record.addresses || []).map(addressOf)],
    ['organization', [record.organization]],
    ['business id', [record.business_id]],
    ['social', (record.social_handles || []).map((h) => `${h.platform}: ${h.handle}`)],
    ['observed', [when(record.observed_at)]],
  ];
  const list = el('dl');
  for (const [label, values] of rows) {
    const shown = values.filter(Boolean);
    if (shown.length) list.append(el('dt', {}, label), el('dd', {}, shown.join(' · ')));
  }
  return el('div', { class: matched ? 'record matched' : 'record', 'data-record': keyOf(record) },
            el('div', { class: 'key' }, keyOf(record), matched ? ' (best match)' : ''), list);
}

// ---- the queue -------------------------------------------------------

const queue = { pageToken: '', current: null };

function queueRequest() {
  const request = { state: $('#filter-state').value, page_size: 50 };
  const source = $('#filter-source').value.trim();
  if (source) request.source = source;
  const min = $('#filter-min').value, max = $('#filter-max').value;
  if (min !== '' || max !== '') {
    request.min_score = min === '' ? -1e9 : Number(min);
    request.max_score = max === '' ? 1e9 : Number(max);
  }
  const age = $('#filter-age').value;
  if (age !== '') request.min_age_seconds = String(Math.max(0, Math.floor(age)));
  if (queue.pageToken) request.page_token = queue.pageToken;
  return request;
}

async function loadQueue(pageToken = '') {
  queue.pageToken = pageToken;
  let listed;
  try {
    listed = await steward('ListReviewTasks', queueRequest());
  } catch (error) {
    sayError(error);
    return;
  }
  const body = $('#tasks tbody');
  body.replaceChildren();
  for (const task of listed.tasks || []) {
    const row = el('tr', { 'data-task': task.task_id },
        el('td', { class: 'key' }, task.task_id),
        el('td', {}, keyOf(task.record)),
        el('td', {}, task.entity_id),
        el('td', { class: 'num' }, score(task.score)),
        el('td', {}, when(task.created_at)));
    if (task.task_id === queue.current) row.classList.add('selected');
    row.addEventListener('click', () => openTask(task.task_id));
    body.append(row);
  }
  $('#tasks-empty').hidden = (listed.tasks || []).length > 0;
  $('#next-page').hidden = !listed.next_page_token;
  $('#next-page').onclick = () => loadQueue(listed.next_page_token);
  $('#first-page').hidden = !pageToken;
}

// ---- one task --------------------------------------------------------

async function openTask(taskId) {
  let detail;
  try {
    detail = await steward('GetReviewTask', { task_id: taskId });
  } catch (error) {
    sayError(error);
    return;
  }
  queue.current = taskId;
  for (const row of document.querySelectorAll('#tasks tbody tr')) {
    row.classList.toggle('selected', row.dataset.task === taskId);
  }
  const task = detail.task;
  $('#task').hidden = false;
  $('#task').dataset.task = taskId;
  $('#task-title').textContent = `Task ${task.task_id} · ${task.state}`;
  $('#task-meta').textContent =
      `score ${score(task.score)} when created ${when(task.created_at)}` +
      (task.decided_by ? ` · decided by ${task.decided_by} ${when(task.decided_at)}` +
                         (task.note ? `: “${task.note}”` : '') : '');

  $('#side-record .records').replaceChildren(recordCard(detail.record, false));
  const matched = keyOf((detail.explanation && detail.explanation.matched_record) ||
                        (task.evidence && task.evidence.matched_record));
  $('#side-entity .records').replaceChildren(
      ...(detail.entity_records || []).map((r) => recordCard(r, keyOf(r) === matched)));
  const link = $('#entity-link');
  link.textContent = detail.live_entity_id;
  link.onclick = (event) => { event.preventDefault(); showEntity(detail.live_entity_id); };

  renderEvidence(detail.explanation);
  const open = task.state === 'OPEN';
  $('#decide-same').disabled = !open;
  $('#decide-not-same').disabled = !open;
  $('#note').value = '';
  $('#decision').textContent = open ? '' : `This task is ${task.state}: nothing to decide.`;
}

// The explanation: each field's values on both sides, its level and its
// weight, with a bar as long as the weight (green for, red against).
function renderEvidence(explanation) {
  const fields = (explanation && explanation.fields) || [];
  const body = $('#evidence tbody');
  body.replaceChildren();
  $('#evidence').hidden = fields.length === 0;
  $('#evidence-none').hidden = fields.length > 0;
  $('#score-total').textContent = explanation
      ? `(total ${score(explanation.score)}, ${explanation.decider})` : '';
  const largest = Math.max(1, ...fields.map((f) => Math.abs(f.weight || 0)));
  for (const field of fields) {
    const weight = Number(field.weight || 0);
    const width = Math.round(60 * Math.abs(weight) / largest);
    const kind = weight > 0 ? 'pos' : weight < 0 ? 'neg' : 'zero';
    const strong = Math.abs(weight) >= largest / 2 ? ' strong' : '';
    body.append(el('tr', { class: kind + strong, 'data-field': field.field },
        el('td', {}, field.field),
        el('td', {}, field.left_value || '—'),
        el('td', {}, field.right_value || '—'),
        el('td', {}, field.level),
        el('td', { class: 'num weight' },
           el('span', { class: 'bar', style: `width:${width}px` }),
           (weight > 0 ? '+' : '') + weight.toFixed(2))));
  }
}

async function decide(verdict) {
  const taskId = $('#task').dataset.task;
  for (const button of document.querySelectorAll('#decide button')) button.disabled = true;
  try {
    const decided = await steward('Decide', {
      task_id: taskId, verdict, note: $('#note').value.trim(),
    });
    const text = verdict === 'SAME'
        ? `Decided: same person. The record is in ${decided.entity_id}` +
          (decided.retired_entity_id ? `; ${decided.retired_entity_id} was merged into it.` : '.')
        : `Decided: not the same. ${keyOf(decided.task.record)} stays apart from ${decided.task.entity_id}.`;
    await loadQueue(queue.pageToken);
    await openTask(taskId);
    say(text, 'ok');
    $('#decision').textContent = text;
  } catch (error) {
    sayError(error);
    for (const button of document.querySelectorAll('#decide button')) button.disabled = false;
  }
}

// ---- entities: members, history, merge, split -------------------------

const entity = { id: '', historyToken: '' };

async function showEntity(entityId) {
  switchView('entity');
  $('#entity-id').value = entityId;
  let found;
  try {
    found = await profile(entityId);
  } catch (error) {
    sayError(error);
    return;
  }
  const live = found.profile.entity_id;
  entity.id = live;
  $('#entity').hidden = false;
  $('#entity-title').textContent = live +
      (found.redirected_from ? ` (${found.redirected_from} was merged into it)` : '') +
      (found.profile.name ? ` · ${found.profile.name.value || ''}` : '');
  $('#members').replaceChildren(...(found.profile.records || []).map((key) =>
      el('li', {}, el('label', { class: 'check' },
          el('input', { type: 'checkbox', value: keyOf(key) }), keyOf(key)))));
  $('#history').replaceChildren();
  await loadHistory('');
}

async function loadHistory(pageToken) {
  let page;
  try {
    page = await steward('EntityHistory',
                         { entity_id: entity.id, page_size: 20, page_token: pageToken });
  } catch (error) {
    sayError(error);
    return;
  }
  for (const event of page.events || []) {
    const others = (event.other_entity_ids || []).join(', ');
    $('#history').append(el('li', { 'data-action': event.action },
        el('span', { class: 'action' }, event.action), ' ',
        event.entity_id, others ? `${event.action === 'split' ? ' → ' : ' ← '}${others}` : '',
        el('div', { class: 'muted' }, `${when(event.at)} by ${event.actor}` +
            (event.task_id ? ` · task ${event.task_id}` : '') +
            (event.trigger && event.trigger.source ? ` · record ${keyOf(event.trigger)}` : '')),
        event.note ? el('div', {}, `“${event.note}”`) : null));
  }
  if (!(page.events || []).length && !pageToken) {
    $('#history').append(el('li', { class: 'muted' }, 'No events yet.'));
  }
  entity.historyToken = page.next_page_token;
  $('#history-more').hidden = !page.next_page_token;
}

async function merge(event) {
  event.preventDefault();
  try {
    const changed = await steward('MergeEntities', {
      entity_a: entity.id, entity_b: $('#merge-other').value.trim(),
      note: $('#merge-note').value.trim(), force: $('#merge-force').checked,
    });
    say(`Merged: ${changed.other_entity_id} is now part of ${changed.entity_id}.`);
    $('#merge-form').reset();
    await showEntity(changed.entity_id);
  } catch (error) {
    sayError(error);
  }
}

async function split(event) {
  event.preventDefault();
  const records = [...document.querySelectorAll('#members input:checked')].map((box) => {
    const slash = box.value.indexOf('/');
    return { source: box.value.slice(0, slash), source_id: box.value.slice(slash + 1) };
  });
  try {
    const changed = await steward('SplitEntity', {
      entity_id: entity.id, records,
      note: $('#split-note').value.trim(), force: $('#split-force').checked,
    });
    say(`Split: ${changed.entity_id} and the new ${changed.other_entity_id}.`);
    $('#split-form').reset();
    await showEntity(entity.id);
  } catch (error) {
    sayError(error);
  }
}

// ---- wiring ----------------------------------------------------------

function switchView(name) {
  for (const tab of document.querySelectorAll('.tab')) {
    tab.classList.toggle('active', tab.dataset.view === name);
  }
  $('#view-queue').hidden = name !== 'queue';
  $('#view-entity').hidden = name !== 'entity';
}

async function start() {
  const config = await fetch('/api/config').then((r) => r.json()).catch(() => ({}));
  if (config.auth) {
    $('#token-box').hidden = false;
    $('#token').value = sessionStorage.getItem('c360-token') || '';
    $('#token').addEventListener('change', () => {
      sessionStorage.setItem('c360-token', $('#token').value.trim());
      loadQueue();
    });
  }
  for (const tab of document.querySelectorAll('.tab')) {
    tab.addEventListener('click', () => switchView(tab.dataset.view));
  }
  $('#filters').addEventListener('submit', (event) => { event.preventDefault(); loadQueue(); });
  $('#first-page').addEventListener('click', () => loadQueue());
  $('#decide-same').addEventListener('click', () => decide('SAME'));
  $('#decide-not-same').addEventListener('click', () => decide('NOT_SAME'));
  $('#entity-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showEntity($('#entity-id').value.trim());
  });
  $('#history-more').addEventListener('click', () => loadHistory(entity.historyToken));
  $('#merge-form').addEventListener('submit', merge);
  $('#split-form').addEventListener('submit', split);
  await loadQueue();
  document.body.dataset.ready = 'true';
}

start();
