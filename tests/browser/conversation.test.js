// A conversation item in the report and in `llmeval ui`: the chat transcript beside its timeline, one entry per turn with the user's
// message and the model's answer as `llmeval runs export` and the trace have them, and each turn's verdicts of a
// `scope: turn` scorer. Uses its own store so the other tests' run numbers stay as they are.
'use strict';

const fs = require('fs');
const path = require('path');

module.exports = async (t) => {
  const { assert, tid } = t;
  const dir = path.join(t.project, 'conversation');
  fs.mkdirSync(path.join(dir, 'prompts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'prompts', 'tutor.txt'), 'You are a patient tutor.\n');
  fs.writeFileSync(path.join(dir, 'convs.jsonl'),
    '{"id": "c1", "messages": [{"role": "user", "content": "What is a unit test?"}, ' +
    '{"role": "user", "content": "And an integration test?"}]}\n');
  fs.writeFileSync(path.join(dir, 'llmeval.yaml'),
    'dataset: {path: convs.jsonl, id_column: id}\nprompt: tutor\nmodel: sim\n' +
    'conversation: {mode: replay}\nscorers:\n  - {name: wordy, type: word_count, min: 3, scope: turn}\n');
  const db = path.join(t.artifacts, 'conversation.db');
  fs.rmSync(db, { force: true });
  t.llmeval(['run', '--config', path.join(dir, 'llmeval.yaml'), '--db', db, '--quiet']);
  const item = JSON.parse(t.llmeval(['runs', 'export', '1', '--db', db, '--format', 'json']).stdout)[0];
  const out = path.join(t.artifacts, 'conversation.html');
  fs.rmSync(out, { force: true });
  t.llmeval(['report', '1', '--db', db, '-o', out]);

  // The same checks in the static report and in the live UI, which loads the item's detail from its API.
  const checkItem = async (page, row, what) => {
    await t.rerender(page, () => page.click(tid('item-row', `[data-item-id="${row}"]`)));
    const detail = tid('item-detail', `[data-item-id="${row}"]`);
    await page.waitForSelector(`${detail} ${tid('transcript-turn')}`);
    const turns = `${detail} ${tid('transcript-turn')}`;
    assert.strictEqual(await t.count(page, turns), 2, `${what}: two turns in the transcript`);
    const messages = await page.$$eval(`${detail} ${tid('transcript-message')}`,
      (els) => els.map((el) => ({ role: el.getAttribute('data-role'), text: el.querySelector('pre').textContent })));
    assert.deepStrictEqual(messages.map((m) => m.role), ['user', 'assistant', 'user', 'assistant'], what);
    assert.strictEqual(messages[0].text, 'What is a unit test?', what);
    assert.strictEqual(messages[2].text, 'And an integration test?', what);
    assert.strictEqual(messages[3].text, item.output, `${what}: the last answer is the item output`);
    const verdicts = await page.$$eval(`${detail} ${tid('turn-verdict')}`,
      (els) => els.map((el) => el.getAttribute('data-scorer') + '=' + el.getAttribute('data-outcome')));
    assert.deepStrictEqual(verdicts, ['wordy=pass', 'wordy=pass'], `${what}: each turn shows its verdict`);
    assert.ok(await t.count(page, `${detail} .conversation-timeline [data-testid]`) > 0,
      `${what}: the timeline is beside it`);
  };

  const page = await t.newPage();
  await page.goto(`file://${out}`);
  await t.waitReady(page);
  const data = await page.evaluate(() => JSON.parse(document.getElementById('llmeval-data').textContent));
  await checkItem(page, data.items['1'].items[0].id, 'report');

  const base = await t.startUi(['--db', db]);
  const live = await t.newPage();
  await live.goto(`${base}#/run/1`);
  await t.waitReady(live);
  await live.waitForSelector(tid('item-row'));
  const liveRow = (await t.attrs(live, tid('item-row'), 'data-item-id'))[0];
  await checkItem(live, liveRow, 'llmeval ui');
};
