// The report of two runs (#/compare/1/2): both sides, the paired delta per scorer and the flipped items, equal to
// what the two runs' exports give; each side links to its run.
'use strict';

const { paired } = require('./expect');

module.exports = async (t) => {
  const { assert, tid } = t;
  const expected = paired(t.exportRun(1), t.exportRun(2));
  const file = t.report([1, 2], 'compare.html');

  const page = await t.newPage();
  await page.goto(`file://${file}`);
  await t.waitReady(page);
  assert.strictEqual(await page.evaluate(() => location.hash), '#/compare/1/2', 'a two-run report opens the compare');
  await page.waitForSelector(tid('compare-side-a'));
  await page.waitForSelector(tid('compare-side-b'));
  const sideA = await t.text(page, tid('compare-side-a'));
  const sideB = await t.text(page, tid('compare-side-b'));
  assert.match(sideA, /basic/, 'side a shows run 1 (prompt basic)');
  assert.match(sideB, /concise/, 'side b shows run 2 (prompt concise)');

  const expectedFlips = new Set();
  for (const [scorer, s] of Object.entries(expected)) {
    const sel = tid('compare-delta', `[data-scorer="${scorer}"]`);
    assert.ok((await t.count(page, sel)) >= 1, `a compare-delta for ${scorer}`);
    const delta = parseFloat(await page.$eval(sel, (el) => el.getAttribute('data-delta')));
    // A fraction (-1..1) by the data layer; a percentage-point figure is accepted too.
    const ok = Math.abs(delta - s.delta) < 1e-3 || Math.abs(delta - 100 * s.delta) < 0.051;
    assert.ok(ok, `${scorer}: data-delta ${delta}, expected ${s.delta.toFixed(4)} (b - a over ${s.n} paired items)`);
    s.flipped.forEach((k) => expectedFlips.add(k));
  }
  const flips = await t.attrs(page, tid('flipped-item'), 'data-key');
  assert.ok(expectedFlips.size > 0, 'the two prompts flip some items');
  assert.ok(flips.length > 0, 'flipped-item rows are shown');
  for (const key of flips) assert.ok(expectedFlips.has(key), `flipped-item ${key} did flip`);
  await t.screenshot(page);

  // Each side links to its run.
  const link = await page.$(`${tid('compare-side-a')} a[href$="#/run/1"]`);
  assert.ok(link, 'compare-side-a links to #/run/1');
  await t.rerender(page, () => link.click());
  assert.strictEqual(await page.evaluate(() => location.hash), '#/run/1');
  await t.waitTotal(page, 130, 'run 1 from the compare view');
  await t.assertNothingInjected(page, 'compare report');
};
