#!/usr/bin/env python3
"""A tiny "production" LLM application instrumented by hand with OpenTelemetry spans, sent as OTLP/JSON over HTTP
(Python standard library only) to `llmeval collect`. It answers a few software-engineering questions and records each
answer as one trace, in one of three instrumentation conventions, as real applications do: the OpenTelemetry GenAI
semantic conventions (gen_ai.input.messages / gen_ai.output.messages), OpenInference (input.value / output.value) and
MLflow (mlflow.spanInputs / mlflow.spanOutputs). Each trace has a root span, a `chat` span and an `execute_tool` span.
One extra trace has no recognisable input, as a health check would.

Usage: traced_app.py --endpoint http://127.0.0.1:4318 [--convention gen_ai|openinference|mlflow|all] [--gzip]
                     [--repeat N] [--answer TEXT] [--ago SECONDS]
(--repeat answers the questions N times, --answer replaces every answer, as a regressed release would, --ago dates the
traces that many seconds back.)
"""
import argparse
import gzip
import json
import os
import time
import urllib.request

QUESTIONS = [
    ("What is a unit test?", "A unit test checks one small unit of code, such as a function, in isolation."),
    ("What does refactoring mean?", "Refactoring changes the structure of code without changing its behaviour."),
    ("Why use version control?", "Version control records every change so a team can review, merge and revert work."),
]


def hex_id(n):
    return os.urandom(n).hex()


def attr(key, value):
    if isinstance(value, bool):
        v = {"boolValue": value}
    elif isinstance(value, int):
        v = {"intValue": str(value)}
    else:
        v = {"stringValue": value}
    return {"key": key, "value": v}


def span(trace_id, span_id, parent, name, start, end, attributes, kind=1):
    s = {"traceId": trace_id, "spanId": span_id, "name": name, "kind": kind,
         "startTimeUnixNano": str(start), "endTimeUnixNano": str(end),
         "attributes": [attr(k, v) for k, v in attributes.items()]}
    if parent:
        s["parentSpanId"] = parent
    return s


def root_attributes(convention, question, answer):
    if convention == "gen_ai":
        return {"gen_ai.operation.name": "invoke_agent",
                "gen_ai.input.messages": json.dumps([{"role": "user", "parts": [{"type": "text", "content": question}]}]),
                "gen_ai.output.messages": json.dumps(
                    [{"role": "assistant", "parts": [{"type": "text", "content": answer}]}])}
    if convention == "openinference":
        return {"openinference.span.kind": "AGENT", "input.value": question, "output.value": answer}
    return {"mlflow.spanType": "AGENT", "mlflow.spanInputs": json.dumps({"question": question}),
            "mlflow.spanOutputs": json.dumps(answer)}


def trace(convention, question, answer, t):
    trace_id, root, chat, tool = hex_id(16), hex_id(8), hex_id(8), hex_id(8)
    return [
        span(trace_id, root, "", "answer_question", t, t + 40_000_000, root_attributes(convention, question, answer), 2),
        span(trace_id, tool, root, "execute_tool search", t + 1_000_000, t + 6_000_000,
             {"gen_ai.tool.name": "search", "gen_ai.tool.call.arguments": json.dumps({"query": question})}),
        span(trace_id, chat, root, "chat shop-model", t + 7_000_000, t + 39_000_000,
             {"gen_ai.request.model": "shop-model", "gen_ai.usage.input_tokens": 20}, 3),
    ]


def send(endpoint, spans, service, use_gzip):
    body = json.dumps({"resourceSpans": [{
        "resource": {"attributes": [attr("service.name", service)]},
        "scopeSpans": [{"scope": {"name": "traced_app", "version": "1.0"}, "spans": spans}]}]}).encode()
    headers = {"Content-Type": "application/json"}
    if use_gzip:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    request = urllib.request.Request(endpoint.rstrip("/") + "/v1/traces", data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="http://127.0.0.1:4318")
    parser.add_argument("--convention", default="all")
    parser.add_argument("--service", default="shop")
    parser.add_argument("--gzip", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--answer", default="")
    parser.add_argument("--ago", type=float, default=0)
    args = parser.parse_args()
    conventions = ["gen_ai", "openinference", "mlflow"] if args.convention == "all" else [args.convention]
    spans = []
    t = time.time_ns() - int(args.ago * 1e9)
    for _ in range(args.repeat):
        for convention in conventions:
            for question, answer in QUESTIONS:
                spans += trace(convention, question, args.answer or answer, t)
                t += 1_000_000
    spans.append(span(hex_id(16), hex_id(8), "", "GET /healthz", t, t + 1_000_000, {"http.route": "/healthz"}, 2))
    status, reply = send(args.endpoint, spans, args.service, args.gzip)
    traces = args.repeat * len(conventions) * len(QUESTIONS) + 1
    print(f"sent {traces} traces ({len(spans)} spans): HTTP {status} {reply}")


if __name__ == "__main__":
    main()
