// The malicious payload of the scratch project (scripts/browser-tests.sh) and the checks that it is shown as text and
// never run, shared by the report (malicious.test.js) and the live UI (live_ui.test.js).
'use strict';

const kScript = '<script>window.__pwned=1</script>';
const kImg = '"><img src=x onerror="window.__pwned=1">';

// On an opened item-detail of the malicious item (`item` from the export, `toolSpanId` its execute_tool span):
// the answer, the cites rationale and the tool result carry the payload as text, and nothing ran.
async function checkMaliciousItem(t, page, itemId, item, toolSpanId) {
  const { assert, tid } = t;
  const detail = tid('item-detail', `[data-item-id="${itemId}"]`);
  await page.waitForSelector(detail);
  assert.ok(item.inputs.question.includes(kScript) && item.output.includes(kScript) && item.output.includes(kImg),
    'the scratch project put the payload into the question and the answer');
  assert.strictEqual(await t.text(page, `${detail} ${tid('item-answer')}`), item.output, 'item-answer is the text');
  const rationale = await t.text(page, `${detail} ${tid('assessment', '[data-scorer="cites"]')} ` +
    `${tid('assessment-rationale')}`);
  assert.ok(rationale.includes(kScript) && rationale.includes(kImg), `the rationale shows the payload: ${rationale}`);
  const detailText = await t.text(page, detail);
  assert.ok(detailText.includes(item.inputs.question), 'item-detail shows the question as text');

  await page.waitForSelector(`${detail} ${tid('span-row', `[data-span-id="${toolSpanId}"]`)}`);
  await page.click(`${detail} ${tid('span-row', `[data-span-id="${toolSpanId}"]`)}`);
  await page.waitForFunction((needle) => [...document.querySelectorAll('[data-testid="span-detail"]')]
    .some((e) => e.offsetParent !== null && e.textContent.includes(needle)), kImg);
  await t.screenshot(page);

  assert.strictEqual(await page.evaluate(() => document.images.length), 0, 'no <img> in the page');
  const scripts = await page.$$eval('script', (els) => els.map((e) => ({ type: e.type, text: e.textContent })));
  for (const s of scripts) {
    assert.ok(!s.text.includes(kScript), `a <script type="${s.type}"> holds the raw payload`);
  }
  await t.assertNothingInjected(page, 'malicious item');
}

module.exports = { kScript, kImg, checkMaliciousItem };
