// Expected figures computed independently of the app, from `llmeval runs export RUN --format json` and
// `llmeval traces export --format otlp-json`.
'use strict';

// {scorer: {pass, fail, error, skipped}} over the exported items.
function tally(items) {
  const stats = {};
  for (const item of items) {
    for (const a of item.assessments) {
      const s = stats[a.name] || (stats[a.name] = { pass: 0, fail: 0, error: 0, skipped: 0 });
      if (a.outcome in s) s[a.outcome]++;
    }
  }
  return stats;
}

// Pass rate in percent over the decided items (pass + fail).
function percent(s) {
  return s.pass + s.fail === 0 ? NaN : (100 * s.pass) / (s.pass + s.fail);
}

// Paired comparison of two exported runs: per scorer, the mean of (b - a) over items decided in both (paired by item
// key and repeat) and the keys whose outcome flipped.
function paired(itemsA, itemsB) {
  const key = (i) => `${i.item_id}#${i.repeat}`;
  const outcomes = (i) => Object.fromEntries(i.assessments.map((a) => [a.name, a.outcome]));
  const byKey = new Map(itemsA.map((i) => [key(i), outcomes(i)]));
  const out = {};
  for (const b of itemsB) {
    const a = byKey.get(key(b));
    if (!a) continue;
    for (const [scorer, ob] of Object.entries(outcomes(b))) {
      const oa = a[scorer];
      const decided = (o) => o === 'pass' || o === 'fail';
      if (!decided(oa) || !decided(ob)) continue;
      const s = out[scorer] || (out[scorer] = { n: 0, sum: 0, flipped: [] });
      s.n++;
      s.sum += (ob === 'pass' ? 1 : 0) - (oa === 'pass' ? 1 : 0);
      if (oa !== ob) s.flipped.push(b.item_id);
    }
  }
  for (const s of Object.values(out)) s.delta = s.n ? s.sum / s.n : NaN;
  return out;
}

// The spans of an OTLP/JSON export (one JSON object per line), flattened: [{traceId, spanId, name, start, attrs}].
function otlpSpans(jsonl) {
  const spans = [];
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    for (const rs of JSON.parse(line).resourceSpans || []) {
      for (const ss of rs.scopeSpans || []) {
        for (const s of ss.spans || []) {
          const attrs = {};
          for (const kv of s.attributes || []) {
            const v = kv.value || {};
            attrs[kv.key] = v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue ?? JSON.stringify(v);
          }
          spans.push({
            traceId: s.traceId.toLowerCase(), spanId: s.spanId.toLowerCase(), name: s.name,
            start: BigInt(s.startTimeUnixNano), attrs,
          });
        }
      }
    }
  }
  return spans;
}

module.exports = { tally, percent, paired, otlpSpans };
