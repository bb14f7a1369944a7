#!/usr/bin/env node
// UI checks in the real workbench (code-server + headless Chromium): the Route Atlas activity bar item and its
// Endpoints tree, CodeLenses on a route file opened through Quick Open, and the Problems panel. Saves
// explorer.png, codelens.png and problems.png, or failure.png plus a clear message when something does not appear.
//
// Called by run.mjs with --ui (same code-server), or standalone:
//   node test/vscode/ui.mjs [--workspace <dir>] [--extension <dir>] [--screenshots <dir>] [--expect <json>]
//                           [--server http://127.0.0.1:<port>] [--timeout <s>] [--keep]
// Expected texts live in test/vscode/ui-expectations.json (see the $comment there).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_WORKSPACE,
  HERE,
  REPO_ROOT,
  checkExtension,
  elapsed,
  isNoise,
  launchChromium,
  log,
  makeRunDir,
  sleep,
  startCodeServer,
  stopGroup,
  workbenchUrl,
} from './lib.mjs';

export const DEFAULT_EXPECTATIONS_FILE = join(HERE, 'ui-expectations.json');

export function loadExpectations(extraFile) {
  const base = JSON.parse(readFileSync(DEFAULT_EXPECTATIONS_FILE, 'utf8'));
  if (!extraFile) return base;
  const extra = JSON.parse(readFileSync(extraFile, 'utf8'));
  const merged = { ...base, ...extra };
  for (const key of ['tree', 'codeLens', 'problems', 'deadlineSeconds']) merged[key] = { ...base[key], ...extra[key] };
  return merged;
}

// "re:<pattern>" is a regular expression (URLs look like /regex/, so no slashes syntax); anything else a substring.
function matcher(text) {
  if (text.startsWith('re:')) {
    const re = new RegExp(text.slice(3));
    return (s) => re.test(s);
  }
  return (s) => s.includes(text);
}

function missingTexts(expected, seen) {
  return expected.filter((text) => {
    const match = matcher(text);
    return !seen.some((s) => match(s));
  });
}

class UiCheckError extends Error {}

/**
 * Polls `probe()` (returns { ok, seen }) until ok or the deadline; throws a UiCheckError naming what was expected
 * and what was seen last.
 */
async function waitFor(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  let last;
  while (true) {
    try {
      last = await probe();
      if (last.ok) return last;
    } catch (error) {
      last = { ok: false, seen: `probe error: ${error.message.split('\n')[0]}` };
    }
    if (Date.now() > deadline) {
      const seen = Array.isArray(last?.seen) ? (last.seen.length ? last.seen.map((s) => `"${s}"`).join(', ') : 'nothing') : last?.seen;
      throw new UiCheckError(`${what} did not appear within ${seconds} s (seen: ${seen})`);
    }
    await sleep(250);
  }
}

// Visible elements' aria-labels (what a screen reader hears; falls back to the text).
async function labels(page, selector) {
  return page.$$eval(selector, (nodes) =>
    nodes
      .filter((n) => n.getClientRects().length > 0)
      .map((n) => (n.getAttribute('aria-label') || n.textContent || '').replace(/\s+/g, ' ').trim()),
  );
}

// Visible elements' rendered text.
async function texts(page, selector) {
  return page.$$eval(selector, (nodes) =>
    nodes.filter((n) => n.getClientRects().length > 0).map((n) => (n.textContent || '').replace(/\s+/g, ' ').trim()),
  );
}

async function isVisible(page, selector) {
  const handle = await page.$(selector);
  return handle ? handle.isVisible() : false;
}

/**
 * Runs the checks in a fresh browser context against a running code-server.
 * server: { host, port }. Returns { screenshots: string[] }; throws UiCheckError (after writing failure.png).
 */
export async function runUiChecks({ browser, server, workspace, extensionPath, screenshotsDir, expectations, onLog }) {
  const expect = expectations ?? loadExpectations();
  const d = expect.deadlineSeconds;
  const viewName = expect.viewName;
  const treeSelector = `[role="tree"][aria-label="${viewName}"]`;
  const rowSelector = `${treeSelector} .monaco-list-row[role="treeitem"]`;
  mkdirSync(screenshotsDir, { recursive: true });
  const shots = [];
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on('console', (msg) => {
    const text = msg.text();
    if (onLog && !isNoise(text)) onLog(`[ui:${msg.type()}] ${text}`);
  });
  const shot = async (name) => {
    const file = join(screenshotsDir, name);
    await page.screenshot({ path: file });
    shots.push(file);
    log(`screenshot ${file}`);
  };
  let stage = 'open workbench';
  const started = Date.now();
  try {
    // No extensionTestsPath: the extension is loaded in development mode and the workbench stays open.
    await page.goto(workbenchUrl(server, { folder: workspace, extensionPath }));
    await waitFor('the workbench (.monaco-workbench)', d.workbench, async () => ({
      ok: await isVisible(page, '.monaco-workbench'),
      seen: [],
    }));
    log(`ui: workbench loaded in ${elapsed(started)}`);

    // 1. The activity bar item, then the view. Fall back to the view's focus command when the item is not there.
    stage = `open the "${expect.activityBarTitle}" view container`;
    const itemSelector = `.part.activitybar [aria-label^="${expect.activityBarTitle}"], .part.activitybar [title^="${expect.activityBarTitle}"]`;
    try {
      await waitFor(`activity bar item "${expect.activityBarTitle}"`, d.view, async () => ({
        ok: await isVisible(page, itemSelector),
        seen: await labels(page, '.part.activitybar .action-item [aria-label]'),
      }));
      await page.click(itemSelector);
    } catch (error) {
      if (!(error instanceof UiCheckError)) throw error;
      log(`ui: ${error.message}; using the command palette`);
      await runCommand(page, `${expect.activityBarTitle}: Focus on ${viewName} View`, d.quickOpen);
    }
    stage = `show the "${viewName}" view`;
    await waitFor(`the "${viewName}" view`, d.view, async () => {
      // A container with one view hides that view's header; expand it when it is shown collapsed.
      const header = await page.$(`.pane-header[aria-label="${viewName} Section"]`);
      if (header && (await header.isVisible()) && (await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      return { ok: await isVisible(page, treeSelector), seen: await labels(page, '.part.sidebar .pane-header[aria-label]') };
    });

    stage = `rows in the "${viewName}" tree`;
    const treeTexts = expect.tree.texts ?? [];
    await waitFor(
      `${expect.tree.minRows}+ rows in ${rowSelector}${treeTexts.length ? ` including ${JSON.stringify(treeTexts)}` : ''}`,
      d.treeRows,
      async () => {
        const seen = await labels(page, rowSelector);
        const candidates = [...seen, ...(await texts(page, rowSelector))];
        return { ok: seen.length >= expect.tree.minRows && missingTexts(treeTexts, candidates).length === 0, seen };
      },
    );
    log(`ui: tree rows: ${(await labels(page, rowSelector)).join(' | ')}`);
    await page.mouse.move(900, 450); // no activity bar hover in the picture
    await sleep(300);
    await shot('explorer.png');

    // The filter, typed into its box as a person would: the view follows while typing and says the filter.
    stage = 'filter the Endpoints view with method:DELETE';
    await runCommand(page, 'Route Atlas: Filter Endpoints', d.quickOpen);
    await waitFor('the Filter Endpoints box', d.quickOpen, async () => {
      const seen = await texts(page, '.quick-input-widget .quick-input-title');
      return { ok: seen.some((s) => s.includes('Filter Endpoints')), seen };
    });
    await page.keyboard.type('method:DELETE', { delay: 20 });
    await waitFor('the view showing only [id] and its DELETE', d.treeRows, async () => {
      const seen = await labels(page, rowSelector);
      return { ok: seen.some((s) => s.startsWith('[id]')) && !seen.some((s) => s.startsWith('health')), seen };
    });
    await sleep(300);
    await shot('filter.png');
    await page.keyboard.press('Escape'); // puts the previous (empty) filter back
    await waitFor('every endpoint again', d.treeRows, async () => {
      const seen = await labels(page, rowSelector);
      return { ok: seen.some((s) => s.startsWith('health')), seen };
    });

    // 2. A route file through Quick Open, then its CodeLenses.
    stage = `open ${expect.codeLensFile} with Quick Open`;
    await quickOpen(page, expect.codeLensFile, d.quickOpen);
    const base = expect.codeLensFile.split('/').pop();
    await waitFor(`an editor tab for ${expect.codeLensFile}`, d.quickOpen, async () => {
      const seen = await labels(page, '.tabs-container .tab.active, .title .label-name');
      return { ok: seen.some((s) => s.includes(base)), seen };
    });
    stage = `CodeLenses in ${expect.codeLensFile}`;
    const lensTexts = expect.codeLens.texts ?? [];
    const lensSelector = '.monaco-editor .codelens-decoration a';
    await waitFor(
      `${expect.codeLens.minCount}+ CodeLenses (${lensSelector})${lensTexts.length ? ` including ${JSON.stringify(lensTexts)}` : ''}`,
      d.codeLens,
      async () => {
        const seen = await page.$$eval(lensSelector, (nodes) => nodes.map((n) => (n.textContent || '').trim()));
        return { ok: seen.length >= expect.codeLens.minCount && missingTexts(lensTexts, seen).length === 0, seen };
      },
    );
    log(`ui: lenses: ${(await page.$$eval(lensSelector, (n) => n.map((x) => x.textContent.trim()))).join(' | ')}`);
    await shot('codelens.png');

    // 3. The Problems panel.
    stage = 'Problems panel';
    await page.click('.monaco-editor .view-lines');
    await page.keyboard.press('Control+Shift+M');
    await waitFor('the Problems panel (.markers-panel)', d.problems, async () => ({ ok: await isVisible(page, '.markers-panel'), seen: [] }));
    const messages = expect.problems.messages ?? [];
    const problemRows = '.markers-panel .monaco-list-row';
    await waitFor(
      `${expect.problems.minRows}+ rows in ${problemRows}${messages.length ? ` including ${JSON.stringify(messages)}` : ''}`,
      d.problems,
      async () => {
        const seen = await labels(page, problemRows);
        const candidates = [...seen, ...(await texts(page, problemRows))];
        return { ok: seen.length >= expect.problems.minRows && missingTexts(messages, candidates).length === 0, seen };
      },
    );
    await sleep(500); // let the tree settle before the picture
    log(`ui: problems: ${(await labels(page, problemRows)).join(' | ') || 'none'}`);
    await shot('problems.png');

    // 4. A picture of the request flow's result. Send request itself is asserted against a real Next.js
    // server in suite/sendRequest.test.ts; this step only photographs the response view, so a loopback
    // server on the fixture's dev port answers and a failure here is reported but not fatal.
    stage = 'response view picture';
    try {
      await photographResponse(page, shot, d.codeLens);
    } catch (error) {
      log(`ui: no response.png (${error.message.split('\n')[0]})`);
    }
    // 5. An HTML response in the sandboxed preview, in the workbench's own Chromium: its inline styles apply,
    // while its script, image, meta refresh and form reach nothing (the loopback server counts every hit).
    stage = 'HTML response preview: styles apply, nothing runs or loads';
    await previewHtmlResponse(page, shot, d.codeLens);
    // 6. The request editor, with real keys: the POST lens opens it with the cursor in the body's first
    // field, a name is typed, and Ctrl+Enter sends it to a loopback server that records what arrived.
    stage = 'request editor: type a body and send it with Ctrl+Enter';
    await driveRequestEditor(page, shot, d.codeLens);
    log(`ui: all checks passed in ${elapsed(started)}`);
    return { screenshots: shots };
  } catch (error) {
    const file = join(screenshotsDir, 'failure.png');
    try {
      await page.screenshot({ path: file });
    } catch {
      // page gone
    }
    const message = error instanceof UiCheckError ? error.message : `${error.message.split('\n')[0]}`;
    throw new UiCheckError(`UI check failed at "${stage}": ${message}; screenshot ${file}`);
  } finally {
    await context.close().catch(() => {});
  }
}

/** Clicks a Send lens and accepts the prompts that follow (the query names the handler reads) as offered. */
async function sendFromLens(page, title, seconds) {
  await page.locator('.monaco-editor .codelens-decoration a', { hasText: title }).first().click({ timeout: seconds * 1000 });
  const input = page.locator('.quick-input-widget input');
  for (let i = 0; i < 3; i++) {
    if (!(await input.isVisible().catch(() => false))) {
      await sleep(700);
      if (!(await input.isVisible().catch(() => false))) break;
    }
    await page.keyboard.press('Enter');
    await sleep(500);
  }
}

async function photographResponse(page, shot, seconds) {
  const users = [
    { id: '1', name: 'Ada' },
    { id: '2', name: 'Linus' },
  ];
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'x-powered-by': 'Next.js' });
    response.end(JSON.stringify(request.url?.startsWith('/api/users') ? users : { ok: true }));
  });
  await new Promise((resolveListen, reject) => server.once('error', reject).listen(3100, '127.0.0.1', resolveListen));
  try {
    await sendFromLens(page, 'Send GET /api/users', seconds);
    await page.locator('iframe.webview').first().waitFor({ state: 'visible', timeout: seconds * 1000 });
    await sleep(2000);
    await shot('response.png');
  } finally {
    server.close();
  }
}

/** The frame of a webview whose page holds `selector` (webviews are frames within frames in the workbench). */
async function webviewFrameWith(page, selector, seconds) {
  let found;
  await waitFor(`a webview with ${selector}`, seconds, async () => {
    for (const frame of page.frames()) {
      if (await frame.$(selector).catch(() => null)) {
        found = frame;
        return { ok: true, seen: [] };
      }
    }
    return { ok: false, seen: page.frames().map((f) => f.url().slice(0, 80)) };
  });
  return found;
}

async function previewHtmlResponse(page, shot, seconds) {
  const hits = [];
  const html =
    '<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0;url=http://127.0.0.1:3100/refreshed">' +
    '<style>body{font-family:sans-serif;margin:24px}h1{color:rgb(200, 0, 0)}</style></head>' +
    '<body><h1 id="title">Sign in required</h1><p style="font-weight:bold">Log in to list users.</p>' +
    '<img src="http://127.0.0.1:3100/beacon.png" alt="beacon"><script>fetch("http://127.0.0.1:3100/script-ran")</script>' +
    '<form action="http://127.0.0.1:3100/form"><button id="go">Go</button></form></body></html>';
  const server = createServer((request, response) => {
    hits.push(request.url);
    response.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'x-powered-by': 'Next.js' });
    response.end(html);
  });
  await new Promise((resolveListen, reject) => server.once('error', reject).listen(3100, '127.0.0.1', resolveListen));
  try {
    await sendFromLens(page, 'Send GET /api/users', seconds);
    const view = await webviewFrameWith(page, '#preview:not([hidden])', seconds);
    const formatted = await view.$eval('#body pre', (pre) => pre.textContent);
    if (!formatted.includes('\n  <head>')) throw new UiCheckError(`the HTML body is not shown formatted: ${JSON.stringify(formatted.slice(0, 120))}`);
    await view.click('#preview');
    await waitFor('the sandboxed preview frame', seconds, async () => ({ ok: (await view.$('iframe.htmlPreview[sandbox=""]')) !== null, seen: [] }));
    const previewFrame = view.childFrames().find((f) => f.url() === 'about:srcdoc');
    if (!previewFrame) throw new UiCheckError(`no about:srcdoc frame in the response view (${view.childFrames().map((f) => f.url()).join(', ')})`);
    await waitFor('the preview drawn with its own styles', seconds, async () => {
      const color = await previewFrame.$eval('#title', (h1) => getComputedStyle(h1).color).catch(() => '');
      return { ok: color === 'rgb(200, 0, 0)', seen: [color] };
    });
    await previewFrame.click('#go', { timeout: 2000 }).catch(() => {});
    await sleep(1500);
    const leaked = hits.filter((url) => !url.startsWith('/api/users'));
    if (leaked.length) throw new UiCheckError(`the preview reached the network: ${leaked.join(', ')}`);
    await shot('html-preview.png');
    await view.click('#preview'); // back to text, as the next step expects
  } finally {
    server.close();
  }
}

async function driveRequestEditor(page, shot, seconds) {
  const received = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, contentType: request.headers['content-type'], body });
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: '3', ...(request.method === 'POST' ? JSON.parse(body || '{}') : {}) }));
    });
  });
  await new Promise((resolveListen, reject) => server.once('error', reject).listen(3100, '127.0.0.1', resolveListen));
  try {
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Send POST /api/users' }).first().click({ timeout: seconds * 1000 });
    await waitFor('the request editor tab "POST ∕api∕users"', seconds, async () => {
      const seen = await labels(page, '.tabs-container .tab');
      return { ok: seen.some((s) => s.includes('POST ∕api∕users')), seen };
    });
    await waitFor('the request line and the body template in the request editor', seconds, async () => {
      const seen = await texts(page, '.editor-group-container.active .monaco-editor .view-line');
      return { ok: seen.some((s) => s.includes('POST /api/users')) && seen.some((s) => s.includes('"name"')), seen };
    });
    // The cursor is already between the quotes of the first field.
    await page.keyboard.type('Grace Hopper');
    await sleep(300);
    await page.keyboard.press('Control+Enter');
    await waitFor('the typed POST at the loopback server', seconds, async () => ({
      ok: received.some((r) => r.method === 'POST' && r.url === '/api/users' && /json/.test(r.contentType ?? '') && JSON.parse(r.body).name === 'Grace Hopper'),
      seen: received.map((r) => `${r.method} ${r.url} ${r.body}`),
    }));
    await page.locator('iframe.webview').first().waitFor({ state: 'visible', timeout: seconds * 1000 });
    await sleep(1500);
    await shot('request-editor.png');
    // Closing it never asks to save: no dialog appears, the tab goes.
    await runCommand(page, 'View: Close Editor', seconds);
    await sleep(800);
    if (await isVisible(page, '.monaco-dialog-box')) throw new UiCheckError('closing the request editor asked a question (.monaco-dialog-box)');
  } finally {
    server.close();
  }
}

async function focusWorkbench(page) {
  await page.keyboard.press('Escape');
}

async function quickOpen(page, path, seconds) {
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  await waitFor('the Quick Open input', seconds, async () => ({ ok: await isVisible(page, '.quick-input-widget input'), seen: [] }));
  await page.fill('.quick-input-widget input', path);
  const base = path.split('/').pop();
  const dir = path.split('/').slice(0, -1).join('/');
  await waitFor(`a Quick Open row for ${path}`, seconds, async () => {
    const seen = await labels(page, '.quick-input-list .monaco-list-row');
    return { ok: seen.some((s) => s.includes(base) && (!dir || s.includes(dir))), seen };
  });
  const rows = await labels(page, '.quick-input-list .monaco-list-row');
  const index = rows.findIndex((s) => s.includes(base) && (!dir || s.includes(dir)));
  await page.locator('.quick-input-list .monaco-list-row').nth(index).click();
}

async function runCommand(page, title, seconds) {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  await waitFor('the command palette', seconds, async () => ({ ok: await isVisible(page, '.quick-input-widget input'), seen: [] }));
  await page.fill('.quick-input-widget input', `>${title}`);
  await waitFor(`command "${title}"`, seconds, async () => {
    const seen = await labels(page, '.quick-input-list .monaco-list-row');
    return { ok: seen.some((s) => s.includes(title)), seen };
  });
  await page.keyboard.press('Enter');
}

function parseArgs(argv) {
  const opts = {
    workspace: DEFAULT_WORKSPACE,
    extension: REPO_ROOT,
    screenshots: join(REPO_ROOT, 'out', 'screenshots'),
    timeout: 240,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--workspace') opts.workspace = resolve(value());
    else if (a === '--extension') opts.extension = resolve(value());
    else if (a === '--screenshots') opts.screenshots = resolve(value());
    else if (a === '--expect') opts.expect = resolve(value());
    else if (a === '--server') opts.server = value();
    else if (a === '--timeout') opts.timeout = Number(value());
    else if (a === '--keep') opts.keep = true;
    else if (a === '--verbose') opts.verbose = true;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  if (!existsSync(opts.workspace)) throw new Error(`workspace folder ${opts.workspace} does not exist`);
  const { id } = checkExtension(opts.extension);
  let server;
  let runDir;
  let browser;
  let failed = true;
  const timer = setTimeout(() => {
    process.stderr.write(`[harness] TIMEOUT: UI checks did not finish within ${opts.timeout} s\n`);
    cleanup().finally(() => process.exit(124));
  }, opts.timeout * 1000);
  async function cleanup() {
    await browser?.close().catch(() => {});
    if (server?.child) await stopGroup(server.child);
    if (runDir && !opts.keep && !failed) rmSync(runDir, { recursive: true, force: true });
    else if (runDir) log(`run folder kept: ${runDir}`);
  }
  try {
    if (opts.server) {
      const url = new URL(opts.server);
      server = { host: url.hostname, port: Number(url.port) };
    } else {
      runDir = makeRunDir();
      server = await startCodeServer({ runDir });
      log(`code-server healthy on ${server.baseUrl} in ${server.healthySeconds.toFixed(1)} s`);
    }
    browser = await launchChromium();
    log(`ui: extension ${id} from ${opts.extension}, workspace ${opts.workspace}`);
    await runUiChecks({
      browser,
      server,
      workspace: opts.workspace,
      extensionPath: opts.extension,
      screenshotsDir: opts.screenshots,
      expectations: loadExpectations(opts.expect),
      onLog: opts.verbose ? (line) => process.stdout.write(`${line}\n`) : undefined,
    });
    failed = false;
  } finally {
    clearTimeout(timer);
    await cleanup();
    log(`ui: ${failed ? 'FAILED' : 'passed'} in ${elapsed(started)}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`[harness] ${error.message}\n`);
    process.exit(1);
  });
}
