// llmeval viewer: one vanilla-JS single-page app (plain ES2020, no framework, no build step, no external resource)
// behind both `llmeval report` and `llmeval ui`.
//
// Report mode: the page embeds the report's JSON (engine/report/report_data.h shapes) in two script elements:
// #llmeval-data (runs, items, comparison; application/json) is parsed at start, and the item details (every item's
// full texts, assessments and spans; #llmeval-details-gz, gzip + base64, or #llmeval-details as plain JSON) only when
// the first item is opened. Live mode (window.LLMEVAL_LIVE === true): the same views fetch the `llmeval ui` JSON API
// page by page. Both sit behind one data-source interface.
//
// Safety: data never becomes markup. Elements are built with createElement / createElementNS and filled with
// textContent or attributes; no markup string is ever assigned (a node is cleared with an empty string). Links are built
// from ids, never from data.
//
// DOM contract (the browser tests rely on it): #app[data-state] is "loading" while a view loads and "ready" after every
// completed render; data-testid names: run-list-row, run-meta, prompt-text, scorer-chart, scorer-stat, pass-rate,
// category-row, filter-failed, filter-errors, filter-category, filter-search, items-total, item-row, item-detail,
// item-answer, assessment, assessment-rationale, timeline, span-row, span-bar, span-detail, compare-delta,
// flipped-item, compare-side-a, compare-side-b (and their data-* attributes, set below where each is built).
'use strict';

(function () {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const PAGE_SIZE = 100;
  const SPAN_CHUNK = 250;
  const VARIANT_COLORS = ['#2563eb', '#d97706', '#7c3aed', '#0d9488', '#db2777', '#4b5563'];

  // ---- DOM helpers --------------------------------------------------------------------------------------------

  // Sets attributes and listeners: {class, testid, text, onclick: fn, 'data-x': v, ...}; null/undefined/false skip.
  function setProps(node, props) {
    if (!props) return;
    for (const key of Object.keys(props)) {
      const value = props[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === 'testid') node.setAttribute('data-testid', value);
      else if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
  }

  function appendAll(node, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) appendAll(node, child);
      else if (typeof child === 'object') node.appendChild(child);
      else node.appendChild(document.createTextNode(String(child)));
    }
    return node;
  }

  // An HTML element; string children become text nodes.
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    setProps(node, props);
    return appendAll(node, children);
  }

  // An SVG element.
  function s(tag, props, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setProps(node, props);
    return appendAll(node, children);
  }

  function clear(node) {
    node.innerHTML = '';
  }

  function link(hash, text, props) {
    return h('a', Object.assign({href: hash}, props || {}), text);
  }

  // ---- Formatting ---------------------------------------------------------------------------------------------

  const isNum = (x) => typeof x === 'number' && isFinite(x);

  function pct(x) {
    return isNum(x) ? (x * 100).toFixed(1) + '%' : '—';
  }

  function signedPct(x) {
    if (!isNum(x)) return '—';
    const v = (x * 100).toFixed(1);
    return (x > 0 ? '+' : x < 0 ? '' : '±') + v + '%';
  }

  function usd(x) {
    if (!isNum(x)) return 'unknown';
    if (x === 0) return '$0';
    if (x < 0.01) return '$' + x.toFixed(5);
    return '$' + x.toFixed(x < 10 ? 4 : 2);
  }

  function duration(ms) {
    if (!isNum(ms)) return '—';
    if (ms < 1) return ms.toFixed(2) + ' ms';
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(2) + ' s';
    const m = Math.floor(ms / 60000);
    return m + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
  }

  function dateTime(unixMs) {
    if (!isNum(unixMs) || unixMs <= 0) return '—';
    return new Date(unixMs).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  }

  function count(n) {
    return isNum(n) ? n.toLocaleString('en-US') : '—';
  }

  function short(text, n) {
    text = text === null || text === undefined ? '' : String(text);
    return text.length > n ? text.slice(0, n - 1) + '…' : text;
  }

  function sum(values) {
    let total = 0;
    let unknown = false;
    for (const v of values) {
      if (isNum(v)) total += v;
      else unknown = true;
    }
    return {total, unknown};
  }

  function costText(values) {
    const c = sum(values);
    if (c.unknown && c.total === 0) return 'unknown';
    return usd(c.total) + (c.unknown ? ' + unknown' : '');
  }

  // Pretty-prints a JSON text; other text is returned as is.
  function prettyJson(text) {
    if (typeof text !== 'string') return JSON.stringify(text, null, 2);
    const t = text.trim();
    if (!(t.startsWith('{') || t.startsWith('['))) return text;
    try {
      return JSON.stringify(JSON.parse(t), null, 2);
    } catch (e) {
      return text;
    }
  }

  function outcomeBadge(outcome) {
    return h('span', {class: 'badge outcome-' + outcome}, outcome);
  }

  function statusBadge(status) {
    return h('span', {class: 'badge status-' + String(status).replace(/[^a-z_]/g, '')}, status);
  }

  // ---- Data sources: embedded (report) and fetch (live) --------------------------------------------------------

  // Items of one run filtered like the server's ItemQuery (engine/report/report_data.h).
  // `fullTexts(item)`, when given, returns the item's full question, answer and error for the text search (the
  // embedded rows carry excerpts only).
  function filterItems(items, q, fullTexts) {
    const text = (q.q || '').toLowerCase();
    return items.filter((it) => {
      const outcomes = Object.values(it.scores || {});
      if (q.variant && String(it.variant_id) !== String(q.variant)) return false;
      if (q.failed === '*' && !outcomes.includes('fail')) return false;
      if (q.failed && q.failed !== '*' && (it.scores || {})[q.failed] !== 'fail') return false;
      if (q.errors && !it.error && !outcomes.includes('error')) return false;
      if (q.category && it.category !== q.category) return false;
      if (text) {
        const texts = fullTexts ? fullTexts(it) : [it.question, it.answer, it.error];
        const hay = texts.map((x) => (x ? String(x).toLowerCase() : ''));
        if (!hay.some((x) => x.includes(text))) return false;
      }
      return true;
    });
  }

  class EmbeddedSource {
    constructor() {
      const block = document.getElementById('llmeval-data');
      this.data = JSON.parse((block && block.textContent) || '{}');
      this.data.runs = this.data.runs || [];
      this.data.items = this.data.items || {};
      this.details = null;
      this.cache = {key: null, matches: null};
    }
    defaultHash() {
      const c = this.data.compare;
      if (c && c.run_a && c.run_b) return '#/compare/' + c.run_a.id + '/' + c.run_b.id;
      if (this.data.runs.length) return '#/run/' + this.data.runs[0].run.id;
      return '#/runs';
    }
    async runs() {
      const experiments = new Map();
      for (const r of this.data.runs) experiments.set(r.run.experiment, (experiments.get(r.run.experiment) || 0) + 1);
      return {
        experiments: Array.from(experiments, ([name, runs]) => ({name, runs})),
        runs: this.data.runs.map((r) => r.run),
      };
    }
    async run(id) {
      const found = this.data.runs.find((r) => String(r.run.id) === String(id));
      if (!found) throw new Error('run ' + id + ' is not in this report');
      return found;
    }
    async items(runId, q) {
      const key = JSON.stringify([runId, q.variant, q.failed, q.errors, q.category, q.q]);
      if (this.cache.key !== key) {
        const all = (this.data.items[String(runId)] || {items: []}).items || [];
        let fullTexts = null;
        if (q.q) {
          // Search the full texts, as the live server does, not only the excerpts in the rows.
          const details = await this.detailsDocument();
          fullTexts = (it) => {
            const d = details[String(it.id)];
            return d && d.item ? [d.item.rendered_input, d.item.output, d.item.error] : [it.question, it.answer, it.error];
          };
        }
        this.cache = {key, matches: filterItems(all, q, fullTexts)};
      }
      const matches = this.cache.matches;
      return {total: matches.length, offset: q.offset, items: matches.slice(q.offset, q.offset + q.limit)};
    }
    // The details block is gzip + base64 (or, as a fallback, plain JSON); it is unpacked once, on first use.
    async loadDetails() {
      const packed = document.getElementById('llmeval-details-gz');
      if (packed) {
        const binary = atob(packed.textContent.trim());
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
        return JSON.parse(await new Response(stream).text());
      }
      const block = document.getElementById('llmeval-details');
      return JSON.parse((block && block.textContent) || '{}');
    }
    detailsDocument() {
      if (this.details === null) this.details = this.loadDetails();
      return this.details;
    }
    async item(id) {
      const detail = (await this.detailsDocument())[String(id)];
      if (!detail) throw new Error('item ' + id + ' is not in this report');
      return detail;
    }
    async compare(a, b) {
      const c = this.data.compare;
      if (c && String(c.run_a.id) === String(a) && String(c.run_b.id) === String(b)) return c;
      throw new Error('this report holds no comparison of runs ' + a + ' and ' + b +
                      ' (run: llmeval report ' + a + ' ' + b + ')');
    }
    describe() {
      const parts = ['report'];
      if (this.data.generated_unix_ms) parts.push('generated ' + dateTime(this.data.generated_unix_ms));
      if (this.data.version) parts.push('llmeval ' + this.data.version);
      return parts.join(' · ');
    }
  }

  class FetchSource {
    async get(path) {
      const res = await fetch(path, {headers: {Accept: 'application/json'}});
      let body = null;
      try {
        body = await res.json();
      } catch (e) {
        throw new Error('the server sent no JSON for ' + path + ' (HTTP ' + res.status + ')');
      }
      if (!res.ok) throw new Error(body && body.error ? body.error : 'HTTP ' + res.status + ' for ' + path);
      return body;
    }
    defaultHash() {
      return '#/runs';
    }
    runs() {
      return this.get('/api/runs?limit=500');
    }
    run(id) {
      return this.get('/api/runs/' + encodeURIComponent(id));
    }
    items(runId, q) {
      const p = new URLSearchParams({offset: String(q.offset), limit: String(q.limit)});
      if (q.variant) p.set('variant', q.variant);
      if (q.failed) p.set('failed', q.failed);
      if (q.errors) p.set('errors', '1');
      if (q.category) p.set('category', q.category);
      if (q.q) p.set('q', q.q);
      return this.get('/api/runs/' + encodeURIComponent(runId) + '/items?' + p.toString());
    }
    item(id) {
      return this.get('/api/items/' + encodeURIComponent(id));
    }
    compare(a, b) {
      return this.get('/api/compare?a=' + encodeURIComponent(a) + '&b=' + encodeURIComponent(b));
    }
    describe() {
      return 'live · ' + location.host;
    }
  }

  // ---- App state and routing ----------------------------------------------------------------------------------

  const root = document.getElementById('app');
  const live = window.LLMEVAL_LIVE === true;
  let source = null;
  let token = 0;    // Increments with every navigation or reload; only the newest may mark the app ready.
  let current = null;  // The rendered run view ({runId, ...}) while one is shown, so opening items keeps it.

  function setState(state) {
    root.setAttribute('data-state', state);
  }

  // Starts an operation: the app is "loading" until finish(t) with the newest token.
  function begin() {
    token += 1;
    setState('loading');
    return token;
  }

  function finish(t) {
    if (t === token) setState('ready');
  }

  function parseRoute() {
    const parts = location.hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '').map((p) => {
      try {
        return decodeURIComponent(p);
      } catch (e) {
        return p;
      }
    });
    if (parts[0] === 'runs' && parts.length === 1) return {view: 'runs'};
    if (parts[0] === 'run' && parts.length === 2) return {view: 'run', run: parts[1], item: null};
    if (parts[0] === 'run' && parts.length === 4 && parts[2] === 'item') return {view: 'run', run: parts[1], item: parts[3]};
    if (parts[0] === 'compare' && parts.length === 3) return {view: 'compare', a: parts[1], b: parts[2]};
    return null;
  }

  function runHash(runId, itemId) {
    return '#/run/' + encodeURIComponent(runId) + (itemId === undefined || itemId === null ? '' : '/item/' + encodeURIComponent(itemId));
  }

  function errorBox(err) {
    return h('div', {class: 'error-box', testid: 'error', role: 'alert'}, err && err.message ? err.message : String(err));
  }

  function topbar(crumbs) {
    return h('header', {class: 'topbar'},
             h('a', {class: 'brand', href: '#/runs'}, h('span', {class: 'logo'}, '◆'), 'llmeval'),
             h('nav', {class: 'crumbs'}, crumbs.map((c, i) => [i ? h('span', {class: 'sep'}, '/') : null, c])),
             h('span', {class: 'mode'}, source.describe()));
  }

  // Replaces the page with a new view (a topbar and `body`).
  function mount(crumbs, body) {
    document.body.classList.remove('drawer-open');
    clear(root);
    appendAll(root, [topbar(crumbs), h('main', {class: 'view'}, body)]);
    window.scrollTo(0, 0);
  }

  async function route() {
    const r = parseRoute();
    if (!r) {
      history.replaceState(null, '', source.defaultHash());
      if (parseRoute()) route();
      return;
    }
    const t = begin();
    try {
      if (r.view === 'run' && current && current.runId === String(r.run)) {
        await showItem(current, r.item);
      } else if (r.view === 'run') {
        await renderRun(r.run, r.item, t);
      } else if (r.view === 'compare') {
        current = null;
        await renderCompare(r.a, r.b, t);
      } else {
        current = null;
        await renderRunList(t);
      }
    } catch (err) {
      if (t !== token) return;
      current = null;
      mount([link('#/runs', 'Runs')], errorBox(err));
    }
    finish(t);
  }

  // ---- Run list view (#/runs) ---------------------------------------------------------------------------------

  async function renderRunList(t) {
    const data = await source.runs();
    if (t !== token) return;
    const runs = data.runs || [];
    const selected = new Set();
    const compareButton = h('button', {class: 'btn', disabled: true, testid: 'compare-selected'}, 'Compare 2 selected');
    compareButton.addEventListener('click', () => {
      const ids = Array.from(selected).sort((a, b) => Number(a) - Number(b));
      if (ids.length === 2) location.hash = '#/compare/' + ids[0] + '/' + ids[1];
    });
    const rows = runs.map((run) => {
      const box = h('input', {type: 'checkbox', 'aria-label': 'select run ' + run.id});
      box.addEventListener('click', (e) => e.stopPropagation());
      box.addEventListener('change', () => {
        if (box.checked) selected.add(String(run.id));
        else selected.delete(String(run.id));
        compareButton.disabled = selected.size !== 2;
      });
      const row = h('tr', {class: 'clickable', testid: 'run-list-row', 'data-run-id': run.id, tabindex: 0},
                    h('td', null, box),
                    h('td', {class: 'num'}, link(runHash(run.id), '#' + run.id)),
                    h('td', null, run.experiment),
                    h('td', null, run.name || '—'),
                    h('td', null, statusBadge(run.status)),
                    h('td', {class: 'nowrap'}, dateTime(run.started_unix_ms)),
                    h('td', {class: 'num'}, duration(run.duration_ms)),
                    h('td', null, (run.variants || []).join('; ')),
                    h('td', {class: 'num'}, count(run.items)));
      const open = () => {
        location.hash = runHash(run.id);
      };
      row.addEventListener('click', open);
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') open();
      });
      return row;
    });
    const experiments = (data.experiments || []).map((e) => h('span', {class: 'chip'}, e.name + ' · ' + count(e.runs) + ' runs'));
    mount([h('span', null, 'Runs')], [
      h('div', {class: 'page-head'}, h('h1', null, 'Runs'), h('div', {class: 'chips'}, experiments), compareButton),
      runs.length === 0
          ? h('p', {class: 'empty'}, 'No runs yet. Start one with: llmeval run')
          : h('div', {class: 'card table-wrap'},
              h('table', {class: 'grid'},
                h('thead', null, h('tr', null, ['', 'run', 'experiment', 'name', 'status', 'started', 'duration',
                                                 'variants', 'items'].map((c) => h('th', null, c)))),
                h('tbody', null, rows))),
    ]);
  }

  // ---- Run view (#/run/<id>): header, prompts, variants, charts, categories, items ------------------------------

  function fact(label, value, extra) {
    return h('div', {class: 'fact'}, h('div', {class: 'fact-label'}, label), h('div', {class: 'fact-value', title: extra || null}, value));
  }

  function runHeader(data) {
    const run = data.run;
    const variants = data.variants || [];
    const models = Array.from(new Set(variants.map((v) => v.model))).join(', ');
    const tokensIn = sum(variants.map((v) => v.input_tokens)).total;
    const tokensOut = sum(variants.map((v) => v.output_tokens)).total;
    const ds = run.dataset || {};
    const params = run.params && typeof run.params === 'object' ? run.params : {};
    const paramRows = Object.keys(params).map((k) => h('tr', null, h('th', null, k),
        h('td', null, h('code', null, typeof params[k] === 'string' ? params[k] : JSON.stringify(params[k])))));
    return h('section', {class: 'card run-meta', testid: 'run-meta', 'data-run-id': run.id},
      h('div', {class: 'run-title'},
        h('h1', null, 'Run #' + run.id, run.name ? h('span', {class: 'run-name'}, run.name) : null),
        statusBadge(run.status)),
      h('div', {class: 'subtitle'}, 'experiment ', h('strong', null, run.experiment), ' · started ', dateTime(run.started_unix_ms),
        run.ended_unix_ms ? ' · ended ' + dateTime(run.ended_unix_ms) : ''),
      h('div', {class: 'facts'},
        fact('Model', models || '—'),
        fact('Dataset', ds.path ? ds.path.split('/').pop() : '—', ds.path ? ds.path + (ds.sha256 ? '\nsha256 ' + ds.sha256 : '') : null),
        fact('Rows', count(ds.rows)),
        fact('Items', count(run.items)),
        fact('Duration', duration(run.duration_ms)),
        fact('Cost (model)', costText(variants.map((v) => v.cost_usd))),
        fact('Cost (judges)', costText(variants.map((v) => v.judge_cost_usd))),
        fact('Tokens in / out', count(tokensIn) + ' / ' + count(tokensOut)),
        fact('Git commit', run.git_commit ? run.git_commit.slice(0, 12) : '—', run.git_commit || null)),
      paramRows.length ? h('details', {class: 'params'}, h('summary', null, 'Parameters (' + paramRows.length + ')'),
                           h('table', {class: 'kv'}, h('tbody', null, paramRows))) : null);
  }

  function promptsSection(data) {
    const prompts = data.prompts || [];
    if (!prompts.length) return null;
    return h('section', {class: 'card'}, h('h2', null, 'Prompts'),
      prompts.map((p) => h('details', {class: 'prompt', open: p.role === 'user'},
        h('summary', null, h('span', {class: 'tag role-' + p.role}, p.role), h('strong', null, p.name),
          h('span', {class: 'muted'}, ' v' + p.version), p.sha256 ? h('code', {class: 'muted sha'}, String(p.sha256).slice(0, 12)) : null),
        h('pre', {class: 'prompt-text', testid: 'prompt-text', 'data-prompt-name': p.name}, p.content))));
  }

  function variantColor(index) {
    return VARIANT_COLORS[index % VARIANT_COLORS.length];
  }

  function variantsSection(data) {
    const variants = data.variants || [];
    return h('section', {class: 'card'}, h('h2', null, variants.length > 1 ? 'Variants' : 'Variant'),
      h('div', {class: 'table-wrap'}, h('table', {class: 'grid'},
        h('thead', null, h('tr', null, ['variant', 'items', 'errors', 'cache hits', 'tokens in', 'tokens out', 'cost',
                                         'judge cost', 'latency p50', 'latency p95', 'tool calls'].map((c) => h('th', null, c)))),
        h('tbody', null, variants.map((v, i) => h('tr', {testid: 'variant-row', 'data-variant-id': v.id},
          h('td', null, h('span', {class: 'swatch', style: 'background:' + variantColor(i)}), v.label),
          h('td', {class: 'num'}, count(v.items)),
          h('td', {class: 'num' + (v.errors ? ' bad' : '')}, count(v.errors)),
          h('td', {class: 'num'}, count(v.cache_hits)),
          h('td', {class: 'num'}, count(v.input_tokens)),
          h('td', {class: 'num'}, count(v.output_tokens)),
          h('td', {class: 'num'}, usd(v.cost_usd)),
          h('td', {class: 'num'}, usd(v.judge_cost_usd)),
          h('td', {class: 'num'}, duration(v.latency_p50_ms)),
          h('td', {class: 'num'}, duration(v.latency_p95_ms)),
          h('td', {class: 'num'}, count(v.tool_calls))))))));
  }

  // The pass-rate chart: one group per scorer, one bar per variant, Wilson 95% interval whiskers.
  function scorerChart(data) {
    const variants = data.variants || [];
    const scorers = data.scorers || [];
    const labelW = 230;
    const plotW = 560;
    const valueW = 190;
    const barH = 14;
    const gap = 4;
    const groupPad = 14;
    const top = 26;
    const groupH = variants.length * (barH + gap) - gap + groupPad;
    const height = top + scorers.length * groupH + 8;
    const width = labelW + plotW + valueW;
    const x = (rate) => labelW + Math.max(0, Math.min(1, rate)) * plotW;
    const svg = s('svg', {class: 'chart', testid: 'scorer-chart', viewBox: '0 0 ' + width + ' ' + height,
                          width: width, height: height, role: 'img', 'aria-label': 'pass rate per scorer with 95% intervals'});
    for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
      svg.appendChild(s('line', {class: 'grid-line', x1: x(tick), x2: x(tick), y1: top - 6, y2: height - 8}));
      svg.appendChild(s('text', {class: 'axis-label', x: x(tick), y: top - 10, 'text-anchor': 'middle'}, Math.round(tick * 100) + '%'));
    }
    scorers.forEach((scorer, si) => {
      const y0 = top + si * groupH + groupPad / 2;
      svg.appendChild(s('text', {class: 'chart-label', x: labelW - 10, y: y0 + (groupH - groupPad) / 2 + 4, 'text-anchor': 'end'},
                        short(scorer, 30), s('title', null, scorer)));
      variants.forEach((v, vi) => {
        const st = (v.scorers || []).find((x) => x.scorer === scorer);
        const y = y0 + vi * (barH + gap);
        const cy = y + barH / 2;
        svg.appendChild(s('rect', {class: 'bar-track', x: labelW, y: y, width: plotW, height: barH, rx: 2}));
        if (!st || !isNum(st.pass_rate)) {
          svg.appendChild(s('text', {class: 'value-label muted', x: labelW + 6, y: cy + 4}, st ? 'nothing decided' : 'not scored'));
          return;
        }
        const tip = v.label + ' · ' + scorer + ': ' + pct(st.pass_rate) + ' (' + st.passed + ' passed, ' + st.failed +
                    ' failed, ' + st.errors + ' errors) 95% CI ' + pct(st.ci_low) + ' – ' + pct(st.ci_high);
        svg.appendChild(s('rect', {x: labelW, y: y, width: Math.max(0.5, x(st.pass_rate) - labelW), height: barH, rx: 2,
                                   fill: variantColor(vi), class: 'bar'}, s('title', null, tip)));
        if (isNum(st.ci_low) && isNum(st.ci_high)) {
          const x1 = x(st.ci_low);
          const x2 = x(st.ci_high);
          svg.appendChild(s('line', {class: 'whisker', x1: x1, x2: x2, y1: cy, y2: cy}));
          svg.appendChild(s('line', {class: 'whisker', x1: x1, x2: x1, y1: cy - 4, y2: cy + 4}));
          svg.appendChild(s('line', {class: 'whisker', x1: x2, x2: x2, y1: cy - 4, y2: cy + 4}));
        }
        svg.appendChild(s('text', {class: 'value-label', x: labelW + plotW + 8, y: cy + 4},
                          pct(st.pass_rate) + '  [' + pct(st.ci_low) + ', ' + pct(st.ci_high) + ']'));
      });
    });
    return svg;
  }

  function legend(variants) {
    if (variants.length < 2) return null;
    return h('div', {class: 'legend'}, variants.map((v, i) =>
      h('span', {class: 'legend-item'}, h('span', {class: 'swatch', style: 'background:' + variantColor(i)}), v.label)));
  }

  function scorersSection(data) {
    const variants = data.variants || [];
    const scorers = data.scorers || [];
    if (!scorers.length) return h('section', {class: 'card'}, h('h2', null, 'Scorers'), h('p', {class: 'empty'}, 'No scorers ran.'));
    const rows = [];
    for (const scorer of scorers) {
      variants.forEach((v, vi) => {
        const st = (v.scorers || []).find((x) => x.scorer === scorer);
        if (!st) return;
        rows.push(h('tr', {testid: 'scorer-stat', 'data-scorer': scorer, 'data-variant-id': v.id,
                           'data-passed': st.passed, 'data-failed': st.failed, 'data-errors': st.errors},
          h('td', null, scorer),
          variants.length > 1 ? h('td', null, h('span', {class: 'swatch', style: 'background:' + variantColor(vi)}), v.label) : null,
          h('td', {class: 'num'}, count(st.passed)),
          h('td', {class: 'num'}, count(st.failed)),
          h('td', {class: 'num' + (st.errors ? ' warn' : '')}, count(st.errors)),
          h('td', {class: 'num'}, count(st.skipped)),
          h('td', {class: 'num strong'}, h('span', {testid: 'pass-rate'}, pct(st.pass_rate))),
          h('td', {class: 'num muted'}, isNum(st.ci_low) ? '[' + pct(st.ci_low) + ', ' + pct(st.ci_high) + ']' : '—'),
          h('td', {class: 'num'}, isNum(st.mean_score) ? st.mean_score.toFixed(3) : '—')));
      });
    }
    const head = ['scorer'].concat(variants.length > 1 ? ['variant'] : [],
                                   ['passed', 'failed', 'errors', 'skipped', 'pass rate', '95% interval', 'mean score']);
    return h('section', {class: 'card'},
      h('h2', null, 'Pass rates', h('span', {class: 'hint'}, 'Wilson 95% intervals; errors and skips are not counted as fails')),
      legend(variants),
      h('div', {class: 'chart-wrap'}, scorerChart(data)),
      h('div', {class: 'table-wrap'}, h('table', {class: 'grid'},
        h('thead', null, h('tr', null, head.map((c) => h('th', null, c)))), h('tbody', null, rows))));
  }

  function categoriesSection(data) {
    const variants = data.variants || [];
    const categories = data.categories || [];
    if (!categories.length) return null;
    const stats = new Map();  // category \u0000 scorer -> [stat per variant]
    variants.forEach((v, vi) => {
      for (const st of v.categories || []) {
        const key = st.category + '\u0000' + st.scorer;
        if (!stats.has(key)) stats.set(key, []);
        stats.get(key)[vi] = st;
      }
    });
    const rows = [];
    for (const category of categories) {
      let first = true;
      for (const scorer of data.scorers || []) {
        const per = stats.get(category + '\u0000' + scorer);
        if (!per) continue;
        rows.push(h('tr', {testid: 'category-row', 'data-category': category, 'data-scorer': scorer, class: first ? 'group-start' : null},
          h('td', {class: 'strong'}, first ? category : ''),
          h('td', null, scorer),
          variants.map((v, vi) => {
            const st = per[vi];
            if (!st) return h('td', {class: 'muted'}, '—');
            const decided = (st.passed || 0) + (st.failed || 0);
            return h('td', {class: 'rate-cell'},
              h('span', {class: 'minibar'}, h('span', {class: 'minibar-fill', style: 'width:' + (isNum(st.pass_rate) ? st.pass_rate * 100 : 0) + '%;background:' + variantColor(vi)})),
              h('span', {class: 'num'}, pct(st.pass_rate)),
              h('span', {class: 'muted small'}, ' ' + st.passed + '/' + decided + (st.errors ? ' · ' + st.errors + ' err' : '')));
          })));
        first = false;
      }
    }
    return h('section', {class: 'card'},
      h('h2', null, 'By ' + (data.category_column || 'category')),
      h('div', {class: 'table-wrap'}, h('table', {class: 'grid categories'},
        h('thead', null, h('tr', null, h('th', null, data.category_column || 'category'), h('th', null, 'scorer'),
          variants.map((v) => h('th', null, variants.length > 1 ? v.label : 'pass rate')))),
        h('tbody', null, rows))));
  }

  // The item table with its filters and pager; rows load page by page from the source.
  function itemsSection(ctx) {
    const data = ctx.data;
    const f = ctx.filters;
    const reload = () => {
      f.offset = 0;
      refreshItems(ctx);
    };
    const variantSelect = (data.variants || []).length > 1
        ? h('select', {testid: 'filter-variant', 'aria-label': 'variant'}, h('option', {value: ''}, 'All variants'),
            data.variants.map((v) => h('option', {value: v.id}, v.label)))
        : null;
    const failed = h('select', {testid: 'filter-failed', 'aria-label': 'failed scorer'},
      h('option', {value: ''}, 'All outcomes'), h('option', {value: '*'}, 'Any scorer failed'),
      (data.scorers || []).map((sc) => h('option', {value: sc}, 'Failed: ' + sc)));
    const errors = h('input', {type: 'checkbox', testid: 'filter-errors'});
    const category = h('select', {testid: 'filter-category', 'aria-label': 'category'}, h('option', {value: ''}, 'All categories'),
      (data.categories || []).map((c) => h('option', {value: c}, c)));
    const search = h('input', {type: 'search', testid: 'filter-search', placeholder: 'Search question, answer, error…', 'aria-label': 'search'});
    if (variantSelect) variantSelect.addEventListener('change', () => { f.variant = variantSelect.value; reload(); });
    failed.addEventListener('change', () => { f.failed = failed.value; reload(); });
    errors.addEventListener('change', () => { f.errors = errors.checked; reload(); });
    category.addEventListener('change', () => { f.category = category.value; reload(); });
    let debounce = null;
    search.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => { f.q = search.value; reload(); }, 180);
    });
    ctx.total = h('span', {class: 'total', testid: 'items-total', 'data-count': 0}, '');
    ctx.tbody = h('tbody');
    ctx.pageInfo = h('span', {class: 'page-info', testid: 'page-info'});
    ctx.prev = h('button', {class: 'btn', testid: 'page-prev'}, '‹ Prev');
    ctx.next = h('button', {class: 'btn', testid: 'page-next'}, 'Next ›');
    ctx.prev.addEventListener('click', () => { f.offset = Math.max(0, f.offset - PAGE_SIZE); refreshItems(ctx); });
    ctx.next.addEventListener('click', () => { f.offset += PAGE_SIZE; refreshItems(ctx); });
    const multi = (data.variants || []).length > 1;
    const head = ['#'].concat(multi ? ['variant'] : [], ['category', 'question', 'answer', 'scores', 'latency', 'cost']);
    return h('section', {class: 'card items'},
      h('div', {class: 'items-head'}, h('h2', null, 'Items'), ctx.total),
      h('div', {class: 'filters'}, variantSelect, failed,
        h('label', {class: 'check'}, errors, 'Errors only'), category, search),
      h('div', {class: 'table-wrap'}, h('table', {class: 'grid items-table'},
        h('thead', null, h('tr', null, head.map((c) => h('th', null, c)))), ctx.tbody)),
      h('div', {class: 'pager'}, ctx.prev, ctx.pageInfo, ctx.next));
  }

  function scoreChips(scores, scorers) {
    const names = scorers.length ? scorers : Object.keys(scores || {});
    let passed = 0;
    let decided = 0;
    const chips = [];
    for (const name of names) {
      const outcome = (scores || {})[name];
      if (!outcome) continue;
      if (outcome === 'pass') passed++;
      if (outcome === 'pass' || outcome === 'fail') decided++;
      chips.push(h('span', {class: 'chip-dot outcome-' + outcome, title: name + ': ' + outcome}));
    }
    return h('span', {class: 'score-chips'}, chips, h('span', {class: 'muted small'}, ' ' + passed + '/' + decided));
  }

  function itemRow(ctx, it) {
    const multi = (ctx.data.variants || []).length > 1;
    const variant = (ctx.data.variants || []).find((v) => String(v.id) === String(it.variant_id));
    const answer = it.error
        ? h('span', {class: 'bad'}, '⚠ ' + short(it.error, 200))
        : it.answer === null || it.answer === undefined ? h('span', {class: 'muted'}, '(no output)') : short(it.answer, 300);
    const row = h('tr', {class: 'clickable' + (String(it.id) === String(ctx.openItem) ? ' selected' : ''), testid: 'item-row',
                         'data-item-id': it.id, tabindex: 0},
      h('td', {class: 'num nowrap'}, String(it.row) + (it.repeat ? ' ·r' + it.repeat : '')),
      multi ? h('td', {class: 'nowrap'}, variant ? variant.label : String(it.variant_id)) : null,
      h('td', null, it.category ? h('span', {class: 'chip'}, it.category) : ''),
      h('td', {class: 'text-cell'}, h('div', {class: 'clamp'}, short(it.question, 300))),
      h('td', {class: 'text-cell'}, h('div', {class: 'clamp'}, answer)),
      h('td', {class: 'nowrap'}, scoreChips(it.scores, ctx.data.scorers || [])),
      h('td', {class: 'num nowrap'}, duration(it.latency_ms), it.from_cache ? h('span', {class: 'tag', title: 'answered from the response cache'}, 'cache') : null),
      h('td', {class: 'num nowrap'}, usd(it.cost_usd)));
    const open = () => {
      location.hash = runHash(ctx.runId, it.id);
    };
    row.addEventListener('click', open);
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') open();
    });
    return row;
  }

  async function loadItems(ctx) {
    const seq = ++ctx.seq;
    const f = ctx.filters;
    const page = await source.items(ctx.runId, {offset: f.offset, limit: PAGE_SIZE, variant: f.variant, failed: f.failed,
                                                errors: f.errors, category: f.category, q: f.q});
    if (seq !== ctx.seq) return;
    const total = page.total || 0;
    if (f.offset > 0 && f.offset >= total) {
      f.offset = Math.max(0, Math.floor((total - 1) / PAGE_SIZE) * PAGE_SIZE);
      return loadItems(ctx);
    }
    ctx.total.setAttribute('data-count', String(total));
    ctx.total.setAttribute('data-q', f.q);  // The search the list reflects (tests wait for it after typing).
    ctx.total.textContent = count(total) + (total === 1 ? ' item' : ' items');
    clear(ctx.tbody);
    const items = page.items || [];
    if (!items.length) {
      const cols = 7 + ((ctx.data.variants || []).length > 1 ? 1 : 0);
      ctx.tbody.appendChild(h('tr', null, h('td', {colspan: cols, class: 'empty'}, 'No items match these filters.')));
    }
    appendAll(ctx.tbody, items.map((it) => itemRow(ctx, it)));
    const from = total ? f.offset + 1 : 0;
    ctx.pageInfo.textContent = count(from) + '–' + count(f.offset + items.length) + ' of ' + count(total);
    ctx.prev.disabled = f.offset === 0;
    ctx.next.disabled = f.offset + items.length >= total;
  }

  async function refreshItems(ctx) {
    const t = begin();
    try {
      await loadItems(ctx);
    } catch (err) {
      clear(ctx.tbody);
      ctx.tbody.appendChild(h('tr', null, h('td', {colspan: 8}, errorBox(err))));
    }
    finish(t);
  }

  async function renderRun(runId, itemId, t) {
    const data = await source.run(runId);
    if (t !== token) return;
    const ctx = {runId: String(runId), data, seq: 0, openItem: null,
                 filters: {offset: 0, variant: '', failed: '', errors: false, category: '', q: ''}};
    ctx.drawer = h('aside', {class: 'drawer', hidden: true, 'aria-label': 'item detail'});
    const body = [runHeader(data), promptsSection(data), variantsSection(data), scorersSection(data),
                  categoriesSection(data), itemsSection(ctx), ctx.drawer];
    await loadItems(ctx);
    if (t !== token) return;
    const run = data.run;
    mount([link('#/runs', 'Runs'), link(runHash(run.id), 'Run #' + run.id + (run.name ? ' · ' + run.name : ''))], body);
    current = ctx;
    await showItem(ctx, itemId);
  }

  // ---- Item detail (#/run/<id>/item/<item id>): answer, assessments, trace ---------------------------------------

  // The drawer keeps its own sequence rather than the navigation token: a filter refresh of the item list (which
  // takes a new token) must not cancel an item that is opening, only a newer item may.
  async function showItem(ctx, itemId) {
    const seq = (ctx.itemSeq = (ctx.itemSeq || 0) + 1);
    ctx.openItem = itemId;
    for (const row of ctx.tbody.querySelectorAll('tr[data-item-id]')) {
      row.classList.toggle('selected', itemId !== null && row.getAttribute('data-item-id') === String(itemId));
    }
    if (itemId === null || itemId === undefined) {
      ctx.drawer.hidden = true;
      clear(ctx.drawer);
      document.body.classList.remove('drawer-open');
      return;
    }
    clear(ctx.drawer);
    ctx.drawer.hidden = false;
    document.body.classList.add('drawer-open');
    ctx.drawer.appendChild(h('div', {class: 'drawer-loading'}, 'Loading item ' + itemId + '…'));
    let detail;
    try {
      detail = await source.item(itemId);
    } catch (err) {
      if (seq !== ctx.itemSeq) return;
      clear(ctx.drawer);
      appendAll(ctx.drawer, [drawerClose(ctx), errorBox(err)]);
      return;
    }
    if (seq !== ctx.itemSeq) return;
    clear(ctx.drawer);
    ctx.drawer.appendChild(itemDetail(ctx, detail));
    ctx.drawer.scrollTop = 0;
  }

  function drawerClose(ctx) {
    return h('button', {class: 'btn close', testid: 'item-close', title: 'Close (Esc)', onclick: () => {
      location.hash = runHash(ctx.runId);
    }}, '✕');
  }

  function section(title, ...content) {
    return h('section', {class: 'detail-section'}, h('h3', null, title), content);
  }

  function itemDetail(ctx, d) {
    const it = d.item || {};
    const variant = (ctx.data.variants || []).find((v) => String(v.id) === String(it.variant_id));
    const inputs = it.inputs && typeof it.inputs === 'object' ? it.inputs : {};
    const metrics = [
      ['latency', duration(it.latency_ms)], ['time to first byte', duration(it.ttfb_ms)],
      ['tokens in', count(it.input_tokens)], ['tokens out', count(it.output_tokens)],
      ['cached tokens', count(it.cached_tokens)], ['reasoning tokens', count(it.reasoning_tokens)],
      ['cost', usd(it.cost_usd)], ['model calls', count(it.model_calls)], ['tool calls', count(it.tool_calls)],
      ['finish reason', it.finish_reason || '—'], ['from cache', it.from_cache ? 'yes' : 'no'],
      ['started', dateTime(it.started_unix_ms)],
    ];
    const assessments = d.assessments || [];
    return h('div', {class: 'item-detail', testid: 'item-detail', 'data-item-id': it.id},
      h('div', {class: 'detail-head'},
        h('div', null,
          h('div', {class: 'detail-title'}, 'Item ', h('strong', null, 'row ' + it.row + (it.repeat ? ' · repeat ' + it.repeat : '')),
            it.category ? h('span', {class: 'chip'}, it.category) : null,
            variant ? h('span', {class: 'muted'}, ' ' + variant.label) : null),
          h('div', {class: 'muted small mono'}, 'key ' + (it.key || '—') + ' · trace ' + (d.trace_id || it.trace_id || '—'))),
        drawerClose(ctx)),
      h('div', {class: 'metrics'}, metrics.map(([k, v]) => h('div', {class: 'metric'}, h('div', {class: 'fact-label'}, k), h('div', null, v)))),
      Object.keys(inputs).length ? section('Inputs', h('table', {class: 'kv'}, h('tbody', null,
        Object.keys(inputs).map((k) => h('tr', null, h('th', null, k), h('td', {class: 'prewrap'},
          typeof inputs[k] === 'string' ? inputs[k] : JSON.stringify(inputs[k]))))))) : null,
      it.rendered_input ? h('details', {class: 'detail-section'}, h('summary', null, 'Rendered prompt'),
                            h('pre', {class: 'block', testid: 'item-rendered-input'}, it.rendered_input)) : null,
      section('Answer', it.output === null || it.output === undefined
          ? h('pre', {class: 'block muted', testid: 'item-answer'}, '(no output)')
          : h('pre', {class: 'block answer', testid: 'item-answer'}, it.output)),
      it.error ? h('div', {class: 'error-box', testid: 'item-error'}, it.error_type ? h('strong', null, it.error_type + ': ') : null, it.error) : null,
      section('Assessments (' + assessments.length + ')', assessments.length
          ? assessments.map(assessmentCard) : h('p', {class: 'empty'}, 'No assessments.')),
      conversationTrace(d.spans || []) || section('Trace', timeline(d.spans || [])));
  }

  // A conversation item (its trace has conversation_turn spans): the chat transcript, each turn with its verdicts
  // (`scope: turn` scorers), beside the timeline. Null for any other item.
  function conversationTrace(spans) {
    const attr = (sp, k) => (sp.attributes || {})[k];
    const turns = spans.filter((sp) => attr(sp, 'llmeval.span.type') === 'conversation_turn')
      .sort((a, b) => Number(attr(a, 'llmeval.conversation.turn')) - Number(attr(b, 'llmeval.conversation.turn')));
    if (!turns.length) return null;
    const verdicts = spans.filter((sp) => attr(sp, 'llmeval.span.type') === 'scorer' && attr(sp, 'llmeval.conversation.turn') !== undefined);
    const bubble = (role, text) => h('div', {class: 'message', testid: 'transcript-message', 'data-role': role},
      h('div', {class: 'message-role'}, h('span', {class: 'tag role-' + role}, role)), h('pre', {class: 'block'}, String(text)));
    const transcript = h('div', {class: 'transcript', testid: 'transcript'}, turns.map((turn) => {
      const n = attr(turn, 'llmeval.conversation.turn');
      const user = attr(turn, 'input.value');
      const answer = attr(turn, 'output.value');
      const own = verdicts.filter((v) => String(attr(v, 'llmeval.conversation.turn')) === String(n));
      return h('div', {class: 'transcript-turn', testid: 'transcript-turn', 'data-turn': String(n)},
        h('div', {class: 'muted small'}, 'turn ' + n),
        user !== undefined ? bubble('user', user) : null,
        answer !== undefined ? bubble('assistant', answer) : null,
        own.length ? h('div', {class: 'turn-verdicts'}, own.map((v) => h('span', {
          class: 'chip', testid: 'turn-verdict', 'data-scorer': attr(v, 'gen_ai.evaluation.name'),
          'data-outcome': attr(v, 'gen_ai.evaluation.score.label'),
          title: attr(v, 'gen_ai.evaluation.explanation') || '',
        }, attr(v, 'gen_ai.evaluation.name') + ': ' + attr(v, 'gen_ai.evaluation.score.label')))) : null);
    }));
    return section('Conversation and trace (' + turns.length + ' turns)',
      h('div', {class: 'conversation-layout'}, transcript, h('div', {class: 'conversation-timeline'}, timeline(spans))));
  }

  function assessmentCard(a) {
    const meta = [];
    if (isNum(a.score)) meta.push('score ' + (Number.isInteger(a.score) ? a.score : a.score.toFixed(3)));
    if (a.label) meta.push('label ' + a.label);
    if (a.source) meta.push(a.source);
    if (a.judge_model) meta.push('judge ' + a.judge_model);
    if (isNum(a.judge_samples) && a.judge_samples > 1) {
      meta.push(a.judge_samples + ' samples' + (isNum(a.judge_agreement) ? ', agreement ' + pct(a.judge_agreement) : ''));
    }
    return h('div', {class: 'assessment outcome-border-' + a.outcome, testid: 'assessment', 'data-scorer': a.name, 'data-outcome': a.outcome},
      h('div', {class: 'assessment-head'}, outcomeBadge(a.outcome), h('strong', null, a.name), h('span', {class: 'muted small'}, meta.join(' · '))),
      h('div', {class: 'assessment-rationale prewrap', testid: 'assessment-rationale'}, a.rationale || ''),
      a.error ? h('div', {class: 'bad small prewrap'}, a.error) : null);
  }

  // ---- Trace timeline: waterfall rows rendered in chunks, expandable span details ----------------------------------

  // The span's kind for colours: its type, or "error" when its status is an error.
  function spanKind(span) {
    return span.status === 'error' ? 'error' : spanType(span);
  }

  function spanType(span) {
    const a = span.attributes || {};
    const type = a['llmeval.span.type'] || '';
    if (type === 'chat' || String(span.name).startsWith('chat')) return a['llmeval.call.purpose'] === 'judge' ? 'judge' : 'chat';
    if (type === 'tool' || String(span.name).startsWith('execute_tool')) return 'tool';
    if (type === 'scorer' || String(span.name).startsWith('score')) return 'scorer';
    if (type === 'agent' || String(span.name).startsWith('invoke_agent')) return 'agent';
    return 'root';
  }

  // Depth of every span from its parent links (parents outside the trace count as roots).
  function spanDepths(spans) {
    const byId = new Map();
    for (const sp of spans) byId.set(sp.span_id, sp);
    const depth = new Map();
    const depthOf = (sp) => {
      const chain = [];
      let cur = sp;
      while (cur && !depth.has(cur.span_id) && chain.length < 1000) {
        chain.push(cur);
        cur = cur.parent_span_id ? byId.get(cur.parent_span_id) : null;
        if (cur && chain.includes(cur)) cur = null;
      }
      let d = cur && depth.has(cur.span_id) ? depth.get(cur.span_id) + 1 : 0;
      for (let i = chain.length - 1; i >= 0; i--) depth.set(chain[i].span_id, d++);
      return depth.get(sp.span_id);
    };
    for (const sp of spans) depthOf(sp);
    return depth;
  }

  function timeline(spans) {
    if (!spans.length) return h('div', {class: 'timeline empty', testid: 'timeline'}, 'No spans recorded for this item.');
    const depth = spanDepths(spans);
    let t0 = Infinity;
    let t1 = -Infinity;
    for (const sp of spans) {
      t0 = Math.min(t0, sp.start_ms || 0);
      t1 = Math.max(t1, (sp.start_ms || 0) + (sp.duration_ms || 0));
    }
    const total = Math.max(t1 - t0, 0.001);
    const axis = h('div', {class: 'tl-axis'}, h('div', {class: 'tl-name'}, spans.length + ' spans'),
      h('div', {class: 'tl-track'}, [0, 0.25, 0.5, 0.75, 1].map((f) =>
        h('span', {class: 'tl-tick', style: 'left:' + f * 100 + '%'}, duration(f * total)))),
      h('div', {class: 'tl-dur'}, 'duration'));
    const body = h('div', {class: spans.length > SPAN_CHUNK ? 'tl-body tl-scroll' : 'tl-body'});
    const more = h('button', {class: 'btn tl-more', testid: 'timeline-more'}, '');
    let shown = 0;
    const renderChunk = () => {
      const end = Math.min(spans.length, shown + SPAN_CHUNK);
      const frag = document.createDocumentFragment();
      for (let i = shown; i < end; i++) frag.appendChild(spanRow(spans[i], depth.get(spans[i].span_id) || 0, t0, total));
      body.insertBefore(frag, more.parentNode === body ? more : null);
      shown = end;
      if (shown >= spans.length) more.remove();
      else more.textContent = 'Showing ' + count(shown) + ' of ' + count(spans.length) + ' spans — scroll or click for more';
    };
    body.appendChild(more);
    more.addEventListener('click', renderChunk);
    body.addEventListener('scroll', () => {
      if (shown < spans.length && body.scrollTop + body.clientHeight > body.scrollHeight - 400) renderChunk();
    });
    renderChunk();
    const kinds = ['chat', 'tool', 'scorer', 'judge', 'agent', 'error'];
    return h('div', {class: 'timeline', testid: 'timeline'},
      h('div', {class: 'legend'}, kinds.map((k) => h('span', {class: 'legend-item'}, h('span', {class: 'swatch kind-' + k}), k)),
        h('span', {class: 'muted small'}, 'total ' + duration(total) + ' · click a span for details')),
      axis, body);
  }

  function spanRow(span, depth, t0, total) {
    const kind = spanKind(span);
    const a = span.attributes || {};
    const left = ((span.start_ms || 0) - t0) / total * 100;
    const width = Math.max((span.duration_ms || 0) / total * 100, 0.2);
    const badges = [];
    if (a['service.name']) badges.push(h('span', {class: 'span-badge', testid: 'span-service'}, a['service.name']));
    const tokensIn = a['gen_ai.usage.input_tokens'];
    const tokensOut = a['gen_ai.usage.output_tokens'];
    if (isNum(tokensIn) || isNum(tokensOut)) badges.push(h('span', {class: 'span-badge'}, count(tokensIn || 0) + '→' + count(tokensOut || 0) + ' tok'));
    if (a['gen_ai.evaluation.score.label']) badges.push(h('span', {class: 'span-badge outcome-' + a['gen_ai.evaluation.score.label']}, a['gen_ai.evaluation.score.label']));
    if (span.status === 'error') badges.push(h('span', {class: 'span-badge outcome-error'}, 'error'));
    const row = h('div', {class: 'span-row kind-row-' + kind, testid: 'span-row', 'data-span-id': span.span_id,
                          'data-span-name': span.name, 'data-kind': kind, tabindex: 0, role: 'button', 'aria-expanded': 'false'},
      h('div', {class: 'tl-name', style: 'padding-left:' + (6 + Math.min(depth, 24) * 14) + 'px', title: span.name},
        h('span', {class: 'caret'}, '▸'), h('span', {class: 'span-name'}, span.name), badges),
      h('div', {class: 'tl-track'}, h('div', {class: 'span-bar kind-' + kind, testid: 'span-bar',
                                               style: 'left:' + Math.min(left, 99.8) + '%;width:' + Math.min(width, 100 - Math.min(left, 99.8)) + '%',
                                               title: span.name + ' · ' + duration(span.duration_ms)})),
      h('div', {class: 'tl-dur num'}, duration(span.duration_ms)));
    const toggle = () => {
      const next = row.nextSibling;
      if (next && next.getAttribute && next.getAttribute('data-testid') === 'span-detail') {
        next.remove();
        row.setAttribute('aria-expanded', 'false');
        row.classList.remove('open');
      } else {
        row.parentNode.insertBefore(spanDetail(span, depth), row.nextSibling);
        row.setAttribute('aria-expanded', 'true');
        row.classList.add('open');
      }
    };
    row.addEventListener('click', toggle);
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        toggle();
      }
    });
    return row;
  }

  // Chat messages (OpenAI style {role, content, tool_calls} or GenAI style {role, parts}) as readable blocks.
  function messageList(value) {
    let messages = value;
    if (typeof value === 'string') {
      try {
        messages = JSON.parse(value);
      } catch (e) {
        return h('pre', {class: 'block'}, value);
      }
    }
    if (!Array.isArray(messages)) return h('pre', {class: 'block'}, prettyJson(JSON.stringify(messages)));
    return h('div', {class: 'messages'}, messages.map((m) => {
      if (!m || typeof m !== 'object') return h('pre', {class: 'block'}, String(m));
      const parts = [];
      if (typeof m.content === 'string') parts.push(h('pre', {class: 'block'}, m.content));
      else if (m.content !== undefined && m.content !== null) parts.push(h('pre', {class: 'block'}, JSON.stringify(m.content, null, 2)));
      for (const p of Array.isArray(m.parts) ? m.parts : []) {
        if (p && p.type === 'text') parts.push(h('pre', {class: 'block'}, String(p.content)));
        else if (p && p.type === 'tool_call') parts.push(toolCallBlock(p.name, p.arguments));
        else if (p && p.type === 'tool_call_response') parts.push(h('pre', {class: 'block'}, prettyJson(typeof p.response === 'string' ? p.response : JSON.stringify(p.response))));
        else parts.push(h('pre', {class: 'block'}, JSON.stringify(p, null, 2)));
      }
      for (const call of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
        const fn = call && call.function ? call.function : call || {};
        parts.push(toolCallBlock(fn.name, fn.arguments));
      }
      return h('div', {class: 'message'},
        h('div', {class: 'message-role'}, h('span', {class: 'tag role-' + String(m.role || '')}, m.role || 'message'),
          m.tool_call_id ? h('span', {class: 'muted small mono'}, ' ' + m.tool_call_id) : null,
          m.name ? h('span', {class: 'muted small'}, ' ' + m.name) : null),
        parts);
    }));
  }

  function toolCallBlock(name, args) {
    return h('div', {class: 'tool-call'}, h('div', {class: 'small'}, 'tool call ', h('strong', null, name || '?')),
             h('pre', {class: 'block'}, prettyJson(typeof args === 'string' ? args : JSON.stringify(args === undefined ? {} : args))));
  }

  const SPECIAL_ATTRIBUTES = ['gen_ai.system_instructions', 'gen_ai.input.messages', 'gen_ai.output.messages',
                              'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result', 'gen_ai.evaluation.explanation',
                              'input.value', 'output.value'];

  const OTLP_KINDS = {1: 'internal', 2: 'server', 3: 'client', 4: 'producer', 5: 'consumer'};

  function attributeValue(value) {
    if (typeof value === 'string') {
      return value.length > 80 || value.includes('\n') ? h('pre', {class: 'block'}, prettyJson(value)) : h('code', null, value);
    }
    return h('code', null, JSON.stringify(value));
  }

  function spanDetail(span, depth) {
    const a = span.attributes || {};
    const blocks = [];
    const facts = [
      ['kind', spanType(span) + (OTLP_KINDS[span.kind] ? ' (' + OTLP_KINDS[span.kind] + ')' : '')],
      ['start', '+' + duration(span.start_ms)], ['duration', duration(span.duration_ms)],
      ['status', span.status || 'unset'], ['span id', span.span_id], ['parent', span.parent_span_id || '—'],
    ];
    const cost = a['llmeval.cost.usd'];
    if (a['gen_ai.usage.input_tokens'] !== undefined) facts.push(['tokens in', count(a['gen_ai.usage.input_tokens'])]);
    if (a['gen_ai.usage.output_tokens'] !== undefined) facts.push(['tokens out', count(a['gen_ai.usage.output_tokens'])]);
    if (['chat', 'judge'].includes(spanType(span)) || cost !== undefined) facts.push(['cost', usd(cost)]);
    blocks.push(h('div', {class: 'metrics'}, facts.map(([k, v]) => h('div', {class: 'metric'}, h('div', {class: 'fact-label'}, k), h('div', {class: 'mono small'}, v)))));
    if (span.status_message) blocks.push(h('div', {class: 'error-box'}, span.status_message));
    if (a['gen_ai.evaluation.score.label'] !== undefined || a['gen_ai.evaluation.explanation'] !== undefined) {
      blocks.push(h('div', {class: 'verdict'}, h('span', {class: 'fact-label'}, 'verdict '),
        a['gen_ai.evaluation.score.label'] ? outcomeBadge(a['gen_ai.evaluation.score.label']) : null,
        isNum(a['gen_ai.evaluation.score.value']) ? h('span', {class: 'muted'}, ' score ' + a['gen_ai.evaluation.score.value']) : null,
        a['gen_ai.evaluation.explanation'] ? h('div', {class: 'prewrap'}, a['gen_ai.evaluation.explanation']) : null));
    }
    if (a['gen_ai.system_instructions'] !== undefined) blocks.push(h('h4', null, 'System instructions'), messageList(a['gen_ai.system_instructions']));
    if (a['gen_ai.input.messages'] !== undefined) blocks.push(h('h4', null, 'Input messages'), messageList(a['gen_ai.input.messages']));
    if (a['gen_ai.output.messages'] !== undefined) blocks.push(h('h4', null, 'Output messages'), messageList(a['gen_ai.output.messages']));
    if (a['gen_ai.tool.call.arguments'] !== undefined) blocks.push(h('h4', null, 'Tool arguments'), h('pre', {class: 'block', testid: 'tool-arguments'}, prettyJson(a['gen_ai.tool.call.arguments'])));
    if (a['gen_ai.tool.call.result'] !== undefined) blocks.push(h('h4', null, 'Tool result'), h('pre', {class: 'block', testid: 'tool-result'}, prettyJson(a['gen_ai.tool.call.result'])));
    if (a['input.value'] !== undefined) blocks.push(h('details', null, h('summary', null, 'Input'), h('pre', {class: 'block'}, String(a['input.value']))));
    if (a['output.value'] !== undefined) blocks.push(h('details', null, h('summary', null, 'Output'), h('pre', {class: 'block'}, String(a['output.value']))));
    const rest = Object.keys(a).filter((k) => !SPECIAL_ATTRIBUTES.includes(k)).sort();
    if (rest.length) {
      blocks.push(h('h4', null, 'Attributes'), h('table', {class: 'kv'}, h('tbody', null,
        rest.map((k) => h('tr', null, h('th', {class: 'mono'}, k), h('td', null, attributeValue(a[k])))))));
    }
    const events = Array.isArray(span.events) ? span.events : [];
    if (events.length) {
      blocks.push(h('h4', null, 'Events'), h('ul', {class: 'events'}, events.map((ev) => {
        const attrs = ev && typeof ev.attributes === 'object' && ev.attributes ? ev.attributes : {};
        const when = isNum(ev.time_unix_nanos) && ev.time_unix_nanos > 0
            ? new Date(ev.time_unix_nanos / 1e6).toISOString().slice(11, 23) + ' UTC' : '';
        return h('li', null, h('strong', null, ev.name || 'event'), when ? h('span', {class: 'muted small'}, ' ' + when) : null,
          Object.keys(attrs).length ? h('code', {class: 'small'}, ' ' + JSON.stringify(attrs)) : null);
      })));
    }
    return h('div', {class: 'span-detail', testid: 'span-detail', 'data-span-id': span.span_id,
                     style: 'margin-left:' + (6 + Math.min(depth, 24) * 14) + 'px'}, blocks);
  }

  // ---- Compare view (#/compare/<a>/<b>): both runs, paired deltas as a forest plot, flipped items ---------------

  function runCard(run, side) {
    return h('div', {class: 'card side', testid: 'compare-side-' + side, 'data-run-id': run.id},
      h('div', {class: 'side-label'}, side === 'a' ? 'Run A (baseline)' : 'Run B'),
      h('h2', null, link(runHash(run.id), 'Run #' + run.id), run.name ? h('span', {class: 'run-name'}, run.name) : null, ' ', statusBadge(run.status)),
      h('div', {class: 'facts'},
        fact('Variants', (run.variants || []).join('; ') || '—'),
        fact('Items', count(run.items)),
        fact('Started', dateTime(run.started_unix_ms)),
        fact('Duration', duration(run.duration_ms)),
        fact('Dataset', run.dataset && run.dataset.path ? run.dataset.path.split('/').pop() : '—', run.dataset ? run.dataset.sha256 : null),
        fact('Git commit', run.git_commit ? run.git_commit.slice(0, 12) : '—')));
  }

  // Paired deltas (B - A) with 95% intervals around a zero line.
  function forestPlot(scorers) {
    const labelW = 230;
    const plotW = 520;
    const valueW = 190;
    const rowH = 26;
    const top = 26;
    let extent = 0.1;
    for (const sc of scorers) {
      for (const v of [sc.ci_low, sc.ci_high, sc.delta]) if (isNum(v)) extent = Math.max(extent, Math.abs(v));
    }
    extent = Math.min(1, Math.ceil(extent * 10) / 10);
    const width = labelW + plotW + valueW;
    const height = top + scorers.length * rowH + 8;
    const x = (d) => labelW + (Math.max(-extent, Math.min(extent, d)) + extent) / (2 * extent) * plotW;
    const svg = s('svg', {class: 'chart', testid: 'compare-chart', viewBox: '0 0 ' + width + ' ' + height, width: width, height: height,
                          role: 'img', 'aria-label': 'paired pass-rate deltas with 95% intervals'});
    for (const tick of [-extent, -extent / 2, 0, extent / 2, extent]) {
      svg.appendChild(s('line', {class: tick === 0 ? 'zero-line' : 'grid-line', x1: x(tick), x2: x(tick), y1: top - 6, y2: height - 8}));
      svg.appendChild(s('text', {class: 'axis-label', x: x(tick), y: top - 10, 'text-anchor': 'middle'}, signedPct(tick)));
    }
    scorers.forEach((sc, i) => {
      const cy = top + i * rowH + rowH / 2;
      svg.appendChild(s('text', {class: 'chart-label', x: labelW - 10, y: cy + 4, 'text-anchor': 'end'}, short(sc.scorer, 30), s('title', null, sc.scorer)));
      if (!isNum(sc.delta)) {
        svg.appendChild(s('text', {class: 'value-label muted', x: labelW + plotW + 8, y: cy + 4}, 'no paired items'));
        return;
      }
      const cls = isNum(sc.ci_low) && sc.ci_low > 0 ? 'better' : isNum(sc.ci_high) && sc.ci_high < 0 ? 'worse' : 'neutral';
      if (isNum(sc.ci_low) && isNum(sc.ci_high)) {
        svg.appendChild(s('line', {class: 'ci ' + cls, x1: x(sc.ci_low), x2: x(sc.ci_high), y1: cy, y2: cy}));
        svg.appendChild(s('line', {class: 'ci ' + cls, x1: x(sc.ci_low), x2: x(sc.ci_low), y1: cy - 5, y2: cy + 5}));
        svg.appendChild(s('line', {class: 'ci ' + cls, x1: x(sc.ci_high), x2: x(sc.ci_high), y1: cy - 5, y2: cy + 5}));
      }
      svg.appendChild(s('rect', {class: 'point ' + cls, x: x(sc.delta) - 5, y: cy - 5, width: 10, height: 10},
                        s('title', null, sc.scorer + ': ' + signedPct(sc.delta) + ' [' + signedPct(sc.ci_low) + ', ' + signedPct(sc.ci_high) + ']')));
      svg.appendChild(s('text', {class: 'value-label', x: labelW + plotW + 8, y: cy + 4},
                        signedPct(sc.delta) + '  [' + signedPct(sc.ci_low) + ', ' + signedPct(sc.ci_high) + ']'));
    });
    return svg;
  }

  function compareVariant(cmp, v) {
    const a = cmp.run_a;
    const b = cmp.run_b;
    const scorers = v.scorers || [];
    const rows = scorers.map((sc) => {
      const flipped = sc.flipped || [];  // At most 1000 per scorer; the counts cover every flip.
      const better = isNum(sc.flipped_better) ? sc.flipped_better : flipped.filter((f) => f.now_passes).length;
      const worse = isNum(sc.flipped_worse) ? sc.flipped_worse : flipped.length - better;
      return h('tr', {testid: 'compare-delta', 'data-scorer': sc.scorer, 'data-delta': isNum(sc.delta) ? sc.delta : ''},
        h('td', null, sc.scorer), h('td', {class: 'num'}, count(sc.paired)),
        h('td', {class: 'num'}, pct(sc.rate_a)), h('td', {class: 'num'}, pct(sc.rate_b)),
        h('td', {class: 'num strong ' + (isNum(sc.delta) ? (sc.delta > 0 ? 'good' : sc.delta < 0 ? 'bad' : '') : '')}, signedPct(sc.delta)),
        h('td', {class: 'num muted'}, '[' + signedPct(sc.ci_low) + ', ' + signedPct(sc.ci_high) + ']'),
        h('td', {class: 'num'}, h('span', {class: 'bad'}, '−' + worse), ' / ', h('span', {class: 'good'}, '+' + better)));
    });
    const flips = [];
    for (const sc of scorers) {
      for (const f of sc.flipped || []) {
        flips.push(h('li', {class: 'flip ' + (f.now_passes ? 'flip-better' : 'flip-worse'), testid: 'flipped-item', 'data-key': f.key,
                            'data-scorer': sc.scorer, 'data-now-passes': f.now_passes ? 'true' : 'false'},
          h('span', {class: 'flip-icon', title: f.now_passes ? 'fails in A, passes in B' : 'passes in A, fails in B'}, f.now_passes ? '▲' : '▼'),
          h('div', {class: 'flip-body'},
            h('div', null, h('strong', null, sc.scorer), h('span', {class: 'muted small mono'}, ' ' + short(f.key, 16) + (f.repeat ? ' · r' + f.repeat : ''))),
            h('div', {class: 'clamp'}, f.question || ''),
            f.rationale ? h('div', {class: 'muted small prewrap clamp'}, f.rationale) : null),
          h('div', {class: 'flip-links'},
            f.item_a !== null && f.item_a !== undefined ? link(runHash(a.id, f.item_a), 'A: item') : null,
            f.item_b !== null && f.item_b !== undefined ? link(runHash(b.id, f.item_b), 'B: item') : null)));
      }
    }
    return h('section', {class: 'card'},
      h('h2', null, v.label_a, h('span', {class: 'muted'}, '  vs  '), v.label_b),
      h('div', {class: 'subtitle'}, count(v.paired_items) + ' paired items (run A ' + count(v.items_a) + ', run B ' + count(v.items_b) + '); delta = B − A, paired 95% intervals'),
      scorers.length ? h('div', {class: 'chart-wrap'}, forestPlot(scorers)) : null,
      h('div', {class: 'table-wrap'}, h('table', {class: 'grid'},
        h('thead', null, h('tr', null, ['scorer', 'paired', 'run A', 'run B', 'delta', '95% interval', 'flipped −/+'].map((c) => h('th', null, c)))),
        h('tbody', null, rows))),
      h('h3', null, 'Flipped items (' + flips.length + ')'),
      flips.length ? h('ul', {class: 'flips'}, flips) : h('p', {class: 'empty'}, 'No item changed its outcome.'));
  }

  async function renderCompare(a, b, t) {
    const cmp = await source.compare(a, b);
    if (t !== token) return;
    mount([link('#/runs', 'Runs'), h('span', null, 'Compare #' + cmp.run_a.id + ' ↔ #' + cmp.run_b.id)], [
      h('div', {class: 'page-head'}, h('h1', null, 'Run #' + cmp.run_a.id + ' vs run #' + cmp.run_b.id)),
      h('div', {class: 'sides'}, runCard(cmp.run_a, 'a'), runCard(cmp.run_b, 'b')),
      (cmp.notes || []).length ? h('div', {class: 'notes'}, cmp.notes.map((n) => h('div', {class: 'note'}, 'Note: ' + n))) : null,
      (cmp.variants || []).map((v) => compareVariant(cmp, v)),
    ]);
  }

  // ---- Start ----------------------------------------------------------------------------------------------------

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && current && current.openItem !== null && current.openItem !== undefined) {
      location.hash = runHash(current.runId);
    }
  });
  window.addEventListener('hashchange', route);
  try {
    source = live ? new FetchSource() : new EmbeddedSource();
  } catch (err) {
    clear(root);
    root.appendChild(errorBox(new Error('cannot read the report data: ' + err.message)));
    setState('ready');
    return;
  }
  route();
})();
