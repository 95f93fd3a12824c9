// Sends spans to an OTLP/HTTP receiver with the OpenTelemetry JS SDK's own exporters (an independent implementation
// of OTLP), for the collector tests. Usage:
//   node otel_export.js --modules DIR --url http://127.0.0.1:PORT/v1/traces --protocol proto|json [--gzip]
//                       [--traces N] [--token T] [--service NAME]
// Each trace: a root "agent" span (SERVER) with GenAI attributes of every type, an event, and two children: a "chat"
// CLIENT span and an "execute_tool" span with status ERROR. Prints {"code": <ExportResultCode>, "error": "...",
// "traces": [ids...], "spans": N} on stdout.
'use strict';
const path = require('path');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf('--' + name);
  return i >= 0 ? args[i + 1] : fallback;
};
const has = (name) => args.includes('--' + name);
const modules = opt('modules');
const req = (m) => require(path.join(modules, 'node_modules', m));
const api = req('@opentelemetry/api');
const { BasicTracerProvider, SimpleSpanProcessor, InMemorySpanExporter } = req('@opentelemetry/sdk-trace-base');
const { Resource } = req('@opentelemetry/resources');
const protocol = opt('protocol', 'proto');
const { OTLPTraceExporter } = req(protocol === 'json' ? '@opentelemetry/exporter-trace-otlp-http'
                                                       : '@opentelemetry/exporter-trace-otlp-proto');

const memory = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource: new Resource({ 'service.name': opt('service', 'js-shop'), 'deployment.environment': 'test' }),
});
provider.addSpanProcessor(new SimpleSpanProcessor(memory));
const tracer = provider.getTracer('js-test-app', '1.2.3');
const traces = Number(opt('traces', '2'));
const ids = [];
for (let i = 0; i < traces; i++) {
  const root = tracer.startSpan('invoke_agent shop', {
    kind: api.SpanKind.SERVER,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'question ' + i }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'answer ' + i }] }]),
      'app.index': i,
      'app.ratio': 0.5,
      'app.flag': true,
      'app.tags': ['a', 'b'],
    },
  });
  root.addEvent('checkpoint', { 'app.step': 'one' });
  const ctx = api.trace.setSpan(api.context.active(), root);
  const chat = tracer.startSpan('chat gpt-test', { kind: api.SpanKind.CLIENT,
                                                   attributes: { 'gen_ai.request.model': 'gpt-test' } }, ctx);
  chat.end();
  const tool = tracer.startSpan('execute_tool search', { attributes: { 'gen_ai.tool.name': 'search' } }, ctx);
  tool.setStatus({ code: api.SpanStatusCode.ERROR, message: 'tool failed' });
  tool.end();
  root.end();
  ids.push(root.spanContext().traceId);
}
const headers = {};
if (opt('token')) headers.Authorization = 'Bearer ' + opt('token');
const exporter = new OTLPTraceExporter({ url: opt('url'), headers, compression: has('gzip') ? 'gzip' : 'none',
                                         timeoutMillis: 5000 });
const spans = memory.getFinishedSpans();
exporter.export(spans, (result) => {
  process.stdout.write(JSON.stringify({ code: result.code, error: result.error ? String(result.error) : '',
                                        traces: ids, spans: spans.length }) + '\n');
  exporter.shutdown().then(() => process.exit(0));
});
