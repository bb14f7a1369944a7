// The response view's script. Every value from a response is written with textContent or as an
// attribute the page defines (an image's data: URL for known raster types); nothing from a response
// ever becomes markup, so an HTML or script body shows as the text it is.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/x-icon', 'image/vnd.microsoft.icon'];
  /** Above this many nodes a JSON value is shown as text: building the tree would take too long. */
  const TREE_NODE_LIMIT = 5000;

  /** @type {any} */
  let state;
  let showRaw = false;
  /** An HTML body drawn in the sandboxed frame instead of shown as text. */
  let showPreview = false;
  /** @type {HTMLPreElement | undefined} */
  let streamTarget;

  function el(/** @type {string} */ tag, /** @type {string | undefined} */ className, /** @type {string | undefined} */ text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function formatSize(/** @type {number} */ bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function statusClass(/** @type {number | undefined} */ status) {
    if (status === undefined) return 'status';
    if (status >= 500) return 'status s5';
    if (status >= 400) return 'status s4';
    if (status >= 300) return 'status s3';
    return 'status s2';
  }

  function countNodes(/** @type {unknown} */ value, limit = TREE_NODE_LIMIT) {
    let count = 0;
    const stack = [value];
    while (stack.length && count <= limit) {
      const v = stack.pop();
      count++;
      if (v && typeof v === 'object') stack.push(...Object.values(v));
    }
    return count;
  }

  /** A JSON value as nested <details>, each object and array folded and unfolded by its summary. */
  function jsonTree(/** @type {unknown} */ value, /** @type {string | undefined} */ key, depth = 0) {
    const keyPart = key === undefined ? '' : `${JSON.stringify(key)}: `;
    if (value === null || typeof value !== 'object') {
      const line = el('div', 'leaf');
      if (keyPart) line.append(el('span', 'key', keyPart));
      line.append(el('span', `value ${value === null ? 'null' : typeof value}`, JSON.stringify(value)));
      return line;
    }
    const isArray = Array.isArray(value);
    const entries = Object.entries(value);
    const details = el('details', 'node');
    if (depth < 2) /** @type {HTMLDetailsElement} */ (details).open = true;
    const summary = el('summary');
    if (keyPart) summary.append(el('span', 'key', keyPart));
    summary.append(el('span', 'bracket', isArray ? `[ ${entries.length} ]` : `{ ${entries.length} }`));
    details.append(summary);
    const children = el('div', 'children');
    for (const [k, v] of entries) children.append(jsonTree(v, isArray ? undefined : k, depth + 1));
    details.append(children);
    return details;
  }

  function renderBody() {
    const container = $('body');
    container.replaceChildren();
    streamTarget = undefined;
    const toggle = /** @type {HTMLButtonElement} */ ($('toggleRaw'));
    toggle.hidden = true;
    const previewButton = /** @type {HTMLButtonElement} */ ($('preview'));
    previewButton.hidden = true;
    const body = state.body;
    if (state.phase === 'sending') {
      container.append(el('p', 'muted', 'Waiting for the response…'));
      return;
    }
    if (state.phase === 'streaming') {
      streamTarget = /** @type {HTMLPreElement} */ (el('pre', 'text'));
      container.append(streamTarget);
      return;
    }
    if (!body || body.kind === 'empty') {
      if (state.phase !== 'failed') container.append(el('p', 'muted', 'No body.'));
      return;
    }
    switch (body.kind) {
      case 'json': {
        const canTree = body.value !== undefined && countNodes(body.value) <= TREE_NODE_LIMIT;
        toggle.hidden = !canTree;
        toggle.textContent = showRaw ? 'Tree' : 'Raw';
        if (canTree && !showRaw) container.append(jsonTree(body.value));
        else container.append(el('pre', 'text', body.text));
        break;
      }
      case 'text': {
        if (body.language !== 'html') {
          container.append(el('pre', 'text', body.text));
          break;
        }
        previewButton.hidden = false;
        previewButton.textContent = showPreview ? 'Text' : 'Preview';
        if (showPreview) {
          // srcdoc is set as a property, so the body is never part of this page's markup. The empty sandbox
          // runs no script, submits no form, opens no window and navigates no other frame; the page's CSP,
          // which srcdoc documents inherit, keeps images and fonts from loading and the frame from navigating.
          const frame = /** @type {HTMLIFrameElement} */ (el('iframe', 'htmlPreview'));
          frame.setAttribute('sandbox', '');
          frame.setAttribute('title', 'Preview of the HTML body, without scripts');
          frame.srcdoc = body.text;
          container.append(frame);
          break;
        }
        const canFormat = typeof body.formatted === 'string';
        toggle.hidden = !canFormat;
        toggle.textContent = showRaw ? 'Formatted' : 'Raw';
        container.append(el('pre', 'text', canFormat && !showRaw ? body.formatted : body.text));
        break;
      }
      case 'image': {
        container.append(el('p', 'muted', `${body.mime}, ${formatSize(body.bytes)}`));
        if (body.base64 && IMAGE_TYPES.includes(body.mime)) {
          const img = /** @type {HTMLImageElement} */ (el('img', 'preview'));
          img.alt = 'Image preview';
          img.src = `data:${body.mime};base64,${body.base64}`;
          container.append(img);
        }
        break;
      }
      case 'binary':
        container.append(el('p', 'muted', `Binary, ${formatSize(body.bytes)}: the first bytes`));
        container.append(el('pre', 'text hex', body.hex));
        break;
    }
  }

  function render(/** @type {any} */ next) {
    state = next;
    vscode.setState(state);
    $('method').textContent = state.request.method;
    $('url').textContent = state.request.url;
    const status = $('status');
    status.className = statusClass(state.status);
    status.textContent =
      state.phase === 'sending' ? 'Sending…' : state.status !== undefined ? `${state.status} ${state.statusText ?? ''}`.trim() : state.phase === 'failed' ? 'No response' : '';
    $('time').textContent = state.timeMs !== undefined ? `${state.timeMs} ms` : '';
    $('size').textContent = state.phase === 'done' ? formatSize(state.bytes) : state.phase === 'streaming' ? 'streaming…' : '';
    $('type').textContent = state.contentType ?? '';

    const banner = $('banner');
    const message = state.error ? state.error.message : state.explanation;
    banner.hidden = !message;
    banner.className = state.error ? 'banner error' : 'banner warning';
    banner.textContent = message ?? '';

    const redirects = $('redirects');
    redirects.replaceChildren();
    for (const hop of state.redirects ?? []) redirects.append(el('li', undefined, `${hop.status} ${hop.url} → ${hop.location}`));
    $('redirectsSection').hidden = !(state.redirects && state.redirects.length);

    const rows = /** @type {HTMLTableElement} */ ($('headers')).tBodies[0];
    rows.replaceChildren();
    for (const [name, value] of state.headers ?? []) {
      const tr = el('tr');
      tr.append(el('th', undefined, name), el('td', undefined, value));
      rows.append(tr);
    }
    $('headerCount').textContent = state.headers && state.headers.length ? `(${state.headers.length})` : '';

    $('bodyNote').textContent = state.cut ? 'Shown in part: "Open body in editor" has all of it.' : '';
    $('source').textContent = state.request.baseUrlSource ? `Base URL from ${state.request.baseUrlSource}.` : '';
    const done = state.phase === 'done' || state.phase === 'failed';
    for (const id of ['resend', 'copyCurl', 'history']) /** @type {HTMLButtonElement} */ ($(id)).disabled = !done;
    /** @type {HTMLButtonElement} */ ($('openBody')).disabled = state.phase !== 'done' || !state.body || state.body.kind === 'empty';
    renderBody();
    report();
  }

  /** Tells the extension what the page now shows: the body's text and which elements hold it (tests read it). */
  function report() {
    const body = $('body');
    const tags = [...new Set([...body.querySelectorAll('*')].map((node) => node.tagName.toLowerCase()))];
    vscode.postMessage({ type: 'rendered', id: state.id, phase: state.phase, bodyText: body.textContent ?? '', tags });
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message !== 'object') return;
    if (message.type === 'render') render(message.state);
    else if (message.type === 'append' && state && message.id === state.id && streamTarget) {
      streamTarget.append(document.createTextNode(String(message.text)));
    }
  });

  for (const id of ['resend', 'openBody', 'copyCurl', 'history']) {
    $(id).addEventListener('click', () => vscode.postMessage({ type: id }));
  }
  $('toggleRaw').addEventListener('click', () => {
    showRaw = !showRaw;
    renderBody();
    report();
  });
  $('preview').addEventListener('click', () => {
    showPreview = !showPreview;
    renderBody();
    report();
  });

  const saved = vscode.getState();
  if (saved) render(saved);
  vscode.postMessage({ type: 'ready' });
})();
