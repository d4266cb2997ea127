// The stewards' review page in a real browser: a store with one review task
// (two records of Mikko Virtanen from two sources, a score in the review
// band), `c360 serve --http-listen`, headless Chromium driven by
// playwright-core. The task is seen in the queue, opened side by side with
// its weights, and decided "Same person" with a note through the page;
// then the JSON API, `c360 watch` and the page's entity view show the
// result: one entity, ENTITY_MERGED in the change feed, the queue empty,
// the decision in the entity's history. Then a split and a merge through
// the entity view.
//
// Environment: C360_BINARY (the c360 binary; required), CHROMIUM (default
// /usr/bin/chromium), SCREENSHOT_DIR (optional: where to save screenshots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const binary = process.env.C360_BINARY;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshots = process.env.SCREENSHOT_DIR || '';

let work;      // temporary folder of this run
let server;    // the c360 serve child process
let grpcAddress;
let pageUrl;
let context;   // the browser (a persistent context over a fresh profile)
let page;

function c360(...args) {
  return execFileSync(binary, args, { encoding: 'utf8' });
}

// Starts `c360 serve` and resolves with its gRPC address and page URL.
function startServer(db) {
  server = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0',
                          '--http-listen', '127.0.0.1:0'],
                 { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('c360 serve did not start in 30 s')), 30000);
    const found = {};
    server.on('exit', (code) => reject(new Error(`c360 serve exited with ${code}`)));
    createInterface({ input: server.stdout }).on('line', (line) => {
      let match;
      if ((match = line.match(/^c360 serving on (\S+)$/))) found.grpc = match[1];
      if ((match = line.match(/^c360 review page on (\S+)$/))) found.url = match[1];
      if (found.grpc && found.url) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
}

async function api(method, request) {
  const response = await fetch(`${pageUrl}/api/steward/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  return { status: response.status, body: await response.json() };
}

async function snap(name) {
  if (screenshots) await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

before(async () => {
  assert.ok(binary, 'set C360_BINARY to the c360 binary');
  work = mkdtempSync(join(tmpdir(), 'c360-review-page-'));
  const db = join(work, 'db');
  // The same person in two sources with nothing but name and postcode in
  // common: a score in the review band, so the second record starts an
  // entity of its own and a review task (tests/e2e/steward_e2e_test.cc).
  const mikko = { source_id: '1', names: [{ given: 'Mikko', family: 'Virtanen' }],
                  addresses: [{ postcode: '00100' }] };
  writeFileSync(join(work, 'crm.jsonl'), JSON.stringify(mikko) + '\n');
  writeFileSync(join(work, 'web.jsonl'),
                JSON.stringify({ ...mikko, emails: ['mikko.v@example.fi'] }) + '\n');
  c360('ingest', '--db', db, '--source', 'crm', join(work, 'crm.jsonl'));
  c360('ingest', '--db', db, '--source', 'web', join(work, 'web.jsonl'));
  ({ grpc: grpcAddress, url: pageUrl } = await startServer(db));

  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
           '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(15000);
});

after(async () => {
  if (context) await context.close();
  if (server && server.exitCode === null) {
    server.removeAllListeners('exit');
    const exited = new Promise((resolve) => server.on('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a task is seen in the queue, compared side by side and decided "same" through the page', async () => {
  await page.goto(pageUrl);
  const row = page.locator('#tasks tbody tr[data-task]');
  await row.first().waitFor();
  assert.equal(await row.count(), 1, 'one open task');
  const taskId = await row.first().getAttribute('data-task');
  assert.match(await row.first().innerText(), /web\/1/);

  await row.first().click();
  await page.locator('#task:not([hidden])').waitFor();
  // Both sides: the new record and the candidate entity's record.
  const left = await page.locator('#side-record').innerText();
  const right = await page.locator('#side-entity').innerText();
  assert.match(left, /web\/1/);
  assert.match(left, /Mikko Virtanen/);
  assert.match(left, /mikko\.v@example\.fi/);
  assert.match(right, /crm\/1/);
  assert.match(right, /best match/);
  // Each field's level and weight, highlighted by sign.
  const name = page.locator('#evidence tr[data-field="name"]');
  assert.match(await name.locator('td.weight').innerText(), /^\+\d+\.\d\d$/);
  assert.equal(await name.getAttribute('class'), 'pos strong');
  const postcode = page.locator('#evidence tr[data-field="postcode"]');
  assert.match(await postcode.innerText(), /00100\s+00100\s+exact/);
  await snap('1-task');

  await page.fill('#note', 'same person: confirmed on the phone');
  await page.click('#decide-same');
  await page.locator('#decision', { hasText: 'Decided: same person' }).waitFor();
  await page.locator('#tasks-empty:not([hidden])').waitFor();
  await snap('2-decided');

  // The store: the task is decided, the two records are one entity.
  const open = await api('ListReviewTasks', {});
  assert.equal(open.status, 200);
  assert.deepEqual(open.body.tasks, [], 'no open task is left');
  const decided = await api('GetReviewTask', { task_id: taskId });
  assert.equal(decided.body.task.state, 'DECIDED_SAME');
  assert.equal(decided.body.task.decided_by, 'anonymous');
  assert.equal(decided.body.task.note, 'same person: confirmed on the phone');
  const survivor = decided.body.task.entity_id;
  const profile = await (await fetch(`${pageUrl}/api/profile/${survivor}?records=1`)).json();
  assert.deepEqual(profile.profile.records.map((r) => `${r.source}/${r.source_id}`).sort(),
                   ['crm/1', 'web/1']);
  // Deciding again is refused: 409 with the reason.
  const again = await api('Decide', { task_id: taskId, verdict: 'NOT_SAME' });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'FAILED_PRECONDITION');
  assert.match(again.body.message, /already decided/);

  // The change feed ends with the merge.
  const changes = c360('watch', '--server', grpcAddress).trim().split('\n').map((l) => JSON.parse(l));
  const last = changes[changes.length - 1];
  assert.equal(last.type, 'ENTITY_MERGED');
  assert.equal(last.entity_id, survivor);
  assert.ok(last.retired_entity_id && last.retired_entity_id !== survivor);

  // The entity's history on the page shows the decision and its note.
  await page.click('#entity-link');
  const event = page.locator('#history li[data-action="decide_same"]');
  await event.waitFor();
  assert.match(await event.innerText(), /same person: confirmed on the phone/);
  assert.match(await page.locator('#members').innerText(), /crm\/1[\s\S]*web\/1/);
  await snap('3-history');
});

test('an entity is split and merged again through the entity view', async () => {
  // The page still shows the merged entity from the test before.
  const entityId = await page.inputValue('#entity-id');
  await page.check('#members input[value="web/1"]');
  await page.fill('#split-note', 'different birth dates after all');
  await page.check('#split-force');  // the decision above is a must-link
  await page.click('#split-form button[type="submit"]');
  await page.locator('#message.ok', { hasText: 'Split:' }).waitFor();
  const split = await page.locator('#message').innerText();
  const other = split.match(/new (E\d+)/)[1];
  await page.locator('#history li[data-action="split"]').waitFor();
  assert.doesNotMatch(await page.locator('#members').innerText(), /web\/1/);

  await page.fill('#merge-other', other);
  await page.fill('#merge-note', 'same after all');
  await page.check('#merge-force');  // the split left cannot-links
  await page.click('#merge-form button[type="submit"]');
  await page.locator('#message.ok', { hasText: 'Merged:' }).waitFor();
  await page.locator('#history li[data-action="merge"]').waitFor();
  assert.match(await page.locator('#members').innerText(), /web\/1/);
  assert.equal(await page.inputValue('#entity-id'), entityId);
  await snap('4-split-merge');

  const changes = c360('watch', '--server', grpcAddress).trim().split('\n').map((l) => JSON.parse(l));
  const types = changes.map((c) => c.type);
  assert.ok(types.includes('ENTITY_SPLIT'), types.join(','));
  assert.equal(types[types.length - 1], 'ENTITY_MERGED');
});
