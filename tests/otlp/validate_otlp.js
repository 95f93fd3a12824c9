#!/usr/bin/env node
// Validates OTLP/JSON lines (one ExportTraceServiceRequest per line, as `llmeval traces export --format otlp-json`
// writes them) against the official opentelemetry-proto message definitions, using the protobufjs code generated from
// those .proto files that ships in the npm package @opentelemetry/otlp-transformer (build/src/generated/root.js).
//
// Each line is checked twice:
//   1. Proto round trip: hex ids -> bytes, ExportTraceServiceRequest.fromObject, verify (oneofs, enums, types), encode
//      to binary protobuf, decode, toObject in the OTLP/JSON mapping (int64 as decimal strings, enums as numbers),
//      ids back to hex, then a deep comparison with the input line. Any field the official schema does not know
//      (a typo, snake_case), an enum written as a name, a 64-bit integer written as a number, or a value that changes
//      type on the way is a mismatch.
//   2. OTLP rules the proto cannot express: lowercase hex ids of 32/16 digits, not all zero; every parentSpanId
//      present in the same line; kind 1..5 and status code 0..2; *UnixNano decimal strings with end >= start; every
//      AnyValue holding exactly one member; attribute keys unique; span names non-empty.
//
// Usage: node validate_otlp.js ROOT_JS FILE.jsonl... [--self-test] [--no-parent-check]
//   --self-test also corrupts a copy of the first span in a dozen known ways and fails unless every copy is rejected.
// Exit: 0 valid, 1 invalid, 2 usage or unreadable input.
'use strict';

const fs = require('fs');

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const positional = args.filter((a) => !a.startsWith('--'));
if (positional.length < 2) {
  console.error('usage: node validate_otlp.js ROOT_JS FILE.jsonl... [--self-test] [--no-parent-check]');
  process.exit(2);
}
const root = require(positional[0]);
const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const checkParents = !flags.has('--no-parent-check');

const ID_FIELDS = { traceId: 16, spanId: 8, parentSpanId: 8 };

function hexToBytes(hex, bytes, path, errors) {
  if (typeof hex !== 'string') {
    errors.push(`${path}: expected a hex string, got ${JSON.stringify(hex)}`);
    return Buffer.alloc(0);
  }
  if (hex === '' && bytes === 8 && path.endsWith('parentSpanId')) return Buffer.alloc(0);
  if (!new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(hex)) {
    errors.push(`${path}: expected ${bytes * 2} lowercase hex digits, got ${JSON.stringify(hex)}`);
    return Buffer.alloc(0);
  }
  if (/^0+$/.test(hex)) errors.push(`${path}: an all-zero id is invalid`);
  return Buffer.from(hex, 'hex');
}

// A deep copy of `request` with span and link ids turned into bytes (the proto3 JSON mapping would want base64).
function idsToBytes(request, errors) {
  const copy = JSON.parse(JSON.stringify(request));
  forEachSpan(copy, (span, path) => {
    for (const [field, bytes] of Object.entries(ID_FIELDS)) {
      if (field in span) span[field] = hexToBytes(span[field], bytes, `${path}.${field}`, errors);
    }
    (span.links || []).forEach((link, i) => {
      if ('traceId' in link) link.traceId = hexToBytes(link.traceId, 16, `${path}.links[${i}].traceId`, errors);
      if ('spanId' in link) link.spanId = hexToBytes(link.spanId, 8, `${path}.links[${i}].spanId`, errors);
    });
  });
  return copy;
}

function idsToHex(object) {
  forEachSpan(object, (span) => {
    for (const field of Object.keys(ID_FIELDS)) {
      if (span[field] != null && typeof span[field] !== 'string') span[field] = Buffer.from(span[field]).toString('hex');
    }
    (span.links || []).forEach((link) => {
      for (const field of ['traceId', 'spanId']) {
        if (link[field] != null && typeof link[field] !== 'string') link[field] = Buffer.from(link[field]).toString('hex');
      }
    });
  });
}

function forEachSpan(request, fn) {
  if (!request || !Array.isArray(request.resourceSpans)) return;
  request.resourceSpans.forEach((rs, i) => {
    if (!rs || !Array.isArray(rs.scopeSpans)) return;
    rs.scopeSpans.forEach((ss, j) => {
      if (!ss || !Array.isArray(ss.spans)) return;
      ss.spans.forEach((span, k) => {
        if (span && typeof span === 'object') fn(span, `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`);
      });
    });
  });
}

// The first difference between `want` (the input) and `got` (after the round trip), or null.
function firstDifference(want, got, path) {
  if (Array.isArray(want) || Array.isArray(got)) {
    if (!Array.isArray(want) || !Array.isArray(got)) return `${path}: array expected on both sides`;
    if (want.length !== got.length) return `${path}: ${want.length} elements became ${got.length}`;
    for (let i = 0; i < want.length; ++i) {
      const d = firstDifference(want[i], got[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (want && typeof want === 'object' && got && typeof got === 'object') {
    for (const key of Object.keys(want)) {
      if (!(key in got)) {
        return `${path}.${key}: not a field of the official message (or dropped as a default value): ` +
               JSON.stringify(want[key]).slice(0, 80);
      }
      const d = firstDifference(want[key], got[key], `${path}.${key}`);
      if (d) return d;
    }
    for (const key of Object.keys(got)) {
      if (!(key in want)) return `${path}.${key}: appeared in the round trip`;
    }
    return null;
  }
  if (typeof want === 'number' && typeof got === 'number' && (want === got || (isNaN(want) && isNaN(got)))) return null;
  if (want !== got) {
    return `${path}: ${JSON.stringify(want)} (${typeof want}) became ${JSON.stringify(got)} (${typeof got}) ` +
           'through the official schema';
  }
  return null;
}

function checkAnyValue(value, path, errors) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`${path}: AnyValue object expected`);
    return;
  }
  const members = Object.keys(value);
  if (members.length !== 1) {
    errors.push(`${path}: an AnyValue holds exactly one member, got ${members.length} (${members.join(', ')})`);
    return;
  }
  const [kind] = members;
  const v = value[kind];
  if (kind === 'intValue' && !(typeof v === 'string' && /^-?\d+$/.test(v))) {
    errors.push(`${path}.intValue: int64 must be a decimal string, got ${JSON.stringify(v)}`);
  }
  if (kind === 'doubleValue' && typeof v !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(v)) {
    errors.push(`${path}.doubleValue: number expected, got ${JSON.stringify(v)}`);
  }
  if (kind === 'stringValue' && typeof v !== 'string') errors.push(`${path}.stringValue: string expected`);
  if (kind === 'boolValue' && typeof v !== 'boolean') errors.push(`${path}.boolValue: boolean expected`);
  if (kind === 'arrayValue') (v.values || []).forEach((item, i) => checkAnyValue(item, `${path}.arrayValue.values[${i}]`, errors));
  if (kind === 'kvlistValue') checkKeyValues(v.values || [], `${path}.kvlistValue.values`, errors);
}

function checkKeyValues(list, path, errors) {
  if (!Array.isArray(list)) {
    errors.push(`${path}: array expected`);
    return;
  }
  const seen = new Set();
  list.forEach((kv, i) => {
    if (typeof kv.key !== 'string' || kv.key === '') errors.push(`${path}[${i}].key: non-empty string expected`);
    if (seen.has(kv.key)) errors.push(`${path}[${i}]: duplicate attribute key ${JSON.stringify(kv.key)}`);
    seen.add(kv.key);
    checkAnyValue(kv.value, `${path}[${i}].value`, errors);
  });
}

function checkNanos(object, field, path, errors) {
  const v = object[field];
  if (!(typeof v === 'string' && /^\d+$/.test(v))) {
    errors.push(`${path}.${field}: fixed64 must be a decimal string, got ${JSON.stringify(v)}`);
    return null;
  }
  return BigInt(v);
}

function checkOtlpRules(request, errors) {
  if (!request || !Array.isArray(request.resourceSpans) || request.resourceSpans.length === 0) {
    errors.push('resourceSpans: non-empty array expected');
    return 0;
  }
  let spans = 0;
  const ids = new Set();
  const parents = [];
  request.resourceSpans.forEach((rs, i) => {
    checkKeyValues((rs.resource && rs.resource.attributes) || [], `resourceSpans[${i}].resource.attributes`, errors);
  });
  forEachSpan(request, (span, path) => {
    ++spans;
    for (const key of Object.keys(span)) {
      if (key.includes('_')) errors.push(`${path}.${key}: keys are lowerCamelCase in OTLP/JSON`);
    }
    if (typeof span.name !== 'string' || span.name === '') errors.push(`${path}.name: non-empty string expected`);
    if (!(Number.isInteger(span.kind) && span.kind >= 1 && span.kind <= 5)) {
      errors.push(`${path}.kind: an integer from 1 to 5 expected, got ${JSON.stringify(span.kind)}`);
    }
    const start = checkNanos(span, 'startTimeUnixNano', path, errors);
    const end = checkNanos(span, 'endTimeUnixNano', path, errors);
    if (start !== null && end !== null && end < start) errors.push(`${path}: endTimeUnixNano < startTimeUnixNano`);
    if (span.status !== undefined) {
      const code = span.status.code === undefined ? 0 : span.status.code;
      if (!(Number.isInteger(code) && code >= 0 && code <= 2)) {
        errors.push(`${path}.status.code: 0, 1 or 2 expected, got ${JSON.stringify(span.status.code)}`);
      }
    }
    checkKeyValues(span.attributes || [], `${path}.attributes`, errors);
    (span.events || []).forEach((event, i) => {
      checkNanos(event, 'timeUnixNano', `${path}.events[${i}]`, errors);
      if (typeof event.name !== 'string' || event.name === '') errors.push(`${path}.events[${i}].name: required`);
      checkKeyValues(event.attributes || [], `${path}.events[${i}].attributes`, errors);
    });
    ids.add(`${span.traceId}/${span.spanId}`);
    if (span.parentSpanId) parents.push([path, `${span.traceId}/${span.parentSpanId}`]);
  });
  if (checkParents) {
    for (const [path, parent] of parents) {
      if (!ids.has(parent)) errors.push(`${path}.parentSpanId: no span ${parent} in this request`);
    }
  }
  return spans;
}

// Validates one parsed request; returns {errors, spans, bytes}. With rules === false only the proto round trip runs.
function validate(request, rules = true) {
  const errors = [];
  const spans = rules ? checkOtlpRules(request, errors) : 0;
  let bytes = 0;
  const converted = idsToBytes(request, errors);
  let message;
  try {
    message = Request.fromObject(converted);
  } catch (e) {
    errors.push(`fromObject: ${e.message}`);
    return { errors, spans, bytes };
  }
  const problem = Request.verify(message);
  if (problem) errors.push(`verify: ${problem}`);
  const binary = Request.encode(message).finish();
  bytes = binary.length;
  const back = Request.toObject(Request.decode(binary), { longs: String, enums: Number, json: true, defaults: false });
  idsToHex(back);
  const difference = firstDifference(request, back, '$');
  if (difference) errors.push(`round trip: ${difference}`);
  return { errors, spans, bytes };
}

// Corrupted copies of a request, each of which a correct validator must reject: [label, copy, the proto round trip
// alone must reject it]. Each edits the last span that has attributes (a leaf, so no child loses its parent).
function mutations(request) {
  const list = [];
  const add = (label, edit, proto = false) => {
    const copy = JSON.parse(JSON.stringify(request));
    let target = null;
    forEachSpan(copy, (span) => {
      if (span.attributes && span.attributes.length) target = span;
    });
    if (target !== null && edit(target, copy) !== false) list.push([label, copy, proto]);
  };
  add('30-digit traceId', (s) => { s.traceId = s.traceId.slice(2); }, true);
  add('uppercase spanId', (s) => { s.spanId = s.spanId.toUpperCase().replace(/^[0-9]/, 'A'); }, true);
  add('all-zero spanId', (s) => { s.spanId = '0'.repeat(16); });
  add('kind as an enum name', (s) => { s.kind = 'SPAN_KIND_INTERNAL'; }, true);
  add('kind 9', (s) => { s.kind = 9; }, true);
  add('snake_case start_time_unix_nano', (s) => { s.start_time_unix_nano = s.startTimeUnixNano; delete s.startTimeUnixNano; }, true);
  add('startTimeUnixNano as a number', (s) => { s.startTimeUnixNano = Number(s.startTimeUnixNano); }, true);
  add('end before start', (s) => { s.endTimeUnixNano = '1'; });
  add('unknown span field', (s) => { s.durationNanos = '5'; }, true);
  add('status code 7', (s) => { s.status = { code: 7 }; }, true);
  add('dangling parentSpanId', (s) => { s.parentSpanId = 'abcdefabcdefabcd'; });
  add('AnyValue with two members', (s) => {
    if (!s.attributes || !s.attributes.length) return false;
    s.attributes[0].value = { stringValue: 'x', intValue: '1' };
  }, true);
  add('intValue as a number', (s) => {
    if (!s.attributes || !s.attributes.length) return false;
    s.attributes[0].value = { intValue: 52 };
  }, true);
  add('duplicate attribute key', (s) => {
    if (!s.attributes || !s.attributes.length) return false;
    s.attributes.push(JSON.parse(JSON.stringify(s.attributes[0])));
  });
  add('attribute value not wrapped in an AnyValue', (s) => {
    if (!s.attributes || !s.attributes.length) return false;
    s.attributes[0].value = 'bare';
  }, true);
  return list;
}

let failed = false;
let lines = 0;
let totalSpans = 0;
let totalBytes = 0;
let first = null;
for (const file of positional.slice(1)) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`${file}: cannot read: ${e.message}`);
    process.exit(2);
  }
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    ++lines;
    let request;
    try {
      request = JSON.parse(line);
    } catch (e) {
      console.error(`${file}:${index + 1}: not JSON: ${e.message}`);
      failed = true;
      return;
    }
    if (first === null) first = request;
    const result = validate(request);
    totalSpans += result.spans;
    totalBytes += result.bytes;
    for (const error of result.errors.slice(0, 20)) console.error(`${file}:${index + 1}: ${error}`);
    if (result.errors.length) failed = true;
  });
}
if (lines === 0) {
  console.error('no OTLP/JSON lines to validate');
  process.exit(1);
}
console.log(`${failed ? 'INVALID' : 'valid'}: ${lines} ExportTraceServiceRequest lines, ${totalSpans} spans, ` +
            `${totalBytes} bytes as binary protobuf (opentelemetry.proto.collector.trace.v1)`);

if (flags.has('--self-test') && first !== null) {
  let missed = 0;
  const cases = mutations(first);
  for (const [label, copy, proto] of cases) {
    const result = validate(copy);
    const protoOnly = validate(copy, false);
    if (result.errors.length === 0) {
      console.error(`self-test: a corrupted copy (${label}) was accepted`);
      missed++;
    } else if (proto && protoOnly.errors.length === 0) {
      console.error(`self-test: the official schema round trip alone accepted a corrupted copy (${label})`);
      missed++;
    } else {
      const shown = proto ? protoOnly.errors[0] : result.errors[0];
      console.log(`self-test: rejected ${label}: ${shown}`);
    }
  }
  console.log(`self-test: ${cases.length - missed} of ${cases.length} corrupted copies rejected`);
  if (missed > 0 || cases.length < 12) failed = true;
}
process.exit(failed ? 1 : 0);
