// An item of a tool-using run opened from the report's table: its answer, every assessment with its rationale, and
// its trace as a timeline (rows in start order, bars on a time axis, a span's details with the tool's arguments and
// result on click). Spans are checked against `llmeval traces export --format otlp-json`.
'use strict';

const { otlpSpans } = require('./expect');

module.exports = async (t) => {
  const { assert, tid } = t;
  const runId = 3;
  const exported = t.exportRun(runId);
  const spans = otlpSpans(t.llmeval(['traces', 'export', '--run', String(runId), '--format', 'otlp-json']).stdout);
  const file = t.report([runId], 'item_timeline.html');

  const page = await t.newPage();
  await page.goto(`file://${file}`);
  await t.waitReady(page);
  const data = await page.evaluate(() => JSON.parse(document.getElementById('llmeval-data').textContent));
  const rows = data.items[String(runId)].items;
  // A tool-using item that is not the malicious one (that is malicious.test.js's).
  const row = rows.find((r) => r.tool_calls > 0 && !/pwned/.test(r.question));
  assert.ok(row, 'the report embeds a tool-using item of run 3');
  const item = exported.find((i) => i.trace_id === row.trace_id);
  assert.ok(item, `the export has the item with trace ${row.trace_id}`);

  await t.rerender(page, () => page.click(tid('item-row', `[data-item-id="${row.id}"]`)));
  const detail = tid('item-detail', `[data-item-id="${row.id}"]`);
  await page.waitForSelector(detail);
  assert.match(await page.evaluate(() => location.hash), new RegExp(`^#/run/${runId}/item/${row.id}$`));

  // The answer in full, as text; every assessment with its rationale.
  assert.strictEqual(await t.text(page, `${detail} ${tid('item-answer')}`), item.output, 'item-answer');
  for (const a of item.assessments) {
    const sel = `${detail} ${tid('assessment', `[data-scorer="${a.name}"]`)}`;
    assert.strictEqual(await t.count(page, sel), 1, `one assessment for ${a.name}`);
    assert.strictEqual(await page.$eval(sel, (el) => el.getAttribute('data-outcome')), a.outcome, `${a.name} outcome`);
    const rationale = await t.text(page, `${sel} ${tid('assessment-rationale')}`);
    assert.ok(rationale.includes(a.rationale), `${a.name} rationale "${rationale}" shows "${a.rationale}"`);
  }

  // The timeline: one row per span of the trace, in start order.
  const traceSpans = spans.filter((s) => s.traceId === row.trace_id.toLowerCase());
  assert.ok(traceSpans.length >= 5, `the trace has its spans (${traceSpans.length})`);
  const timeline = `${detail} ${tid('timeline')}`;
  await page.waitForSelector(`${timeline} ${tid('span-row')}`);
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length >= 1, `${timeline} ${tid('span-row')}`);
  const shown = await page.$$eval(`${timeline} ${tid('span-row')}`, (els) => els.map((e) => ({
    id: (e.getAttribute('data-span-id') || '').toLowerCase(),
    name: e.getAttribute('data-span-name'),
    bar: (() => {
      const b = e.querySelector('[data-testid="span-bar"]');
      return b ? { left: b.style.left, width: b.style.width } : null;
    })(),
  })));
  assert.strictEqual(shown.length, traceSpans.length, 'one span-row per span');
  const byId = new Map(traceSpans.map((s) => [s.spanId, s]));
  let previous = -1n;
  let previousLeft = -1;
  for (const s of shown) {
    const span = byId.get(s.id);
    assert.ok(span, `span-row ${s.id} is a span of the trace`);
    assert.strictEqual(s.name, span.name, `span ${s.id} name`);
    assert.ok(span.start >= previous, `span-row ${s.name} (${s.id}) is in start order`);
    previous = span.start;
    assert.ok(s.bar, `span-row ${s.name} has a span-bar`);
    assert.match(s.bar.left, /%$/, `span-bar left is a percentage (${s.bar.left})`);
    assert.match(s.bar.width, /%$/, `span-bar width is a percentage (${s.bar.width})`);
    const left = parseFloat(s.bar.left);
    const width = parseFloat(s.bar.width);
    assert.ok(left >= 0 && left <= 100 && width >= 0 && left + width <= 100.5,
      `span-bar inside the axis: ${JSON.stringify(s.bar)}`);
    assert.ok(left + 1e-6 >= previousLeft, `span-bar of ${s.name} does not start before the previous row's`);
    previousLeft = left;
  }
  assert.strictEqual(shown[0].name, traceSpans.find((s) => s.name.startsWith('eval_item')).name, 'root first');

  // A tool span's details: arguments and result; a second click hides them.
  const tool = traceSpans.find((s) => s.name.startsWith('execute_tool'));
  assert.ok(tool, 'the trace has an execute_tool span');
  const args = JSON.parse(tool.attrs['gen_ai.tool.call.arguments']);
  const toolRow = `${timeline} ${tid('span-row', `[data-span-id="${tool.spanId}"]`)}`;
  const visibleDetailWith = (needle) => page.$$eval('[data-testid="span-detail"]', (els, n) =>
    els.filter((e) => e.offsetParent !== null && e.textContent.includes(n)).length, needle);
  assert.strictEqual(await visibleDetailWith(args.query), 0, 'span-detail hidden before the click');
  await page.click(toolRow);
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="span-detail"]')]
    .some((e) => e.offsetParent !== null && e.textContent.includes(n)), args.query);
  const detailText = await page.$$eval('[data-testid="span-detail"]', (els, n) =>
    els.filter((e) => e.offsetParent !== null && e.textContent.includes(n)).map((e) => e.textContent).join('\n'),
  args.query);
  assert.ok(detailText.includes('https://example.com/basics'), 'span-detail shows the tool result');
  await t.screenshot(page);
  await page.click(toolRow);
  await page.waitForFunction((n) => ![...document.querySelectorAll('[data-testid="span-detail"]')]
    .some((e) => e.offsetParent !== null && e.textContent.includes(n)), args.query);

  // A judge's span: its verdict shows.
  const judge = traceSpans.find((s) => s.name === 'score relevance');
  await page.click(`${timeline} ${tid('span-row', `[data-span-id="${judge.spanId}"]`)}`);
  const verdict = String(judge.attrs['gen_ai.evaluation.score.label']);
  await page.waitForFunction((v) => [...document.querySelectorAll('[data-testid="span-detail"]')]
    .some((e) => e.offsetParent !== null && e.textContent.includes(v)), verdict);
  await t.assertNothingInjected(page, 'item detail');
};
