#!/usr/bin/env python3
"""The scenario's web-search agent as a real application, for `llmeval run --target agent_app`: a small HTTP service
(Python standard library only) that answers a question with an OpenAI-compatible model (`llmeval sim-server` offline)
and the web-search tool over the offline corpus (tools/web_search.py), and exports its own OpenTelemetry spans as
OTLP/JSON to OTEL_EXPORTER_OTLP_ENDPOINT: one server span per request, a `chat` span per model call (GenAI semantic
conventions: gen_ai.request.model, gen_ai.usage.*) and an `execute_tool web_search` span per tool call (gen_ai.tool.*).
The W3C `traceparent` header of each request is honoured, so the spans land in the caller's trace: llmeval nests them
under the item's target span.

  POST /answer  {"question": "..."}  ->  {"answer": "...", "tool_calls": [...], "usage": {...}}

Usage: agent_app.py --model-url http://127.0.0.1:PORT/v1 [--model sim] [--port 0]
Prints the port it listens on (127.0.0.1 only), then serves until stopped (or --exit-after seconds).
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
SEARCH = os.path.join(HERE, "..", "tools", "web_search.py")
SYSTEM = ("You are a professor of software engineering. Use the web_search tool to look facts up, then answer the "
          "question in a few sentences.")
TOOLS = [{"type": "function", "function": {
    "name": "web_search",
    "description": "Search the web and return the top results as a Markdown list of titled links with snippets.",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}, "max_results": {"type": "integer"}},
                   "required": ["query"]}}}]
MAX_STEPS = 4


def hex_id(n):
    return os.urandom(n).hex()


def attr(key, value):
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    return {"key": key, "value": {"stringValue": str(value)}}


class Tracer:
    """Collects one request's spans; `export` sends them as one OTLP/JSON request (errors are reported, not raised)."""

    def __init__(self, traceparent):
        parts = (traceparent or "").split("-")
        ok = len(parts) == 4 and len(parts[1]) == 32 and len(parts[2]) == 16
        self.trace_id = parts[1] if ok else hex_id(16)
        self.parent = parts[2] if ok else ""
        self.spans = []

    def span(self, name, parent, start, attributes, kind=1, error=None):
        s = {"traceId": self.trace_id, "spanId": hex_id(8), "name": name, "kind": kind,
             "startTimeUnixNano": str(start), "endTimeUnixNano": str(time.time_ns()),
             "attributes": [attr(k, v) for k, v in attributes.items()]}
        if parent:
            s["parentSpanId"] = parent
        if error:
            s["status"] = {"code": 2, "message": error}
        self.spans.append(s)
        return s["spanId"]

    def export(self, endpoint):
        if not endpoint:
            return
        body = json.dumps({"resourceSpans": [{
            "resource": {"attributes": [attr("service.name", "se-exam-agent")]},
            "scopeSpans": [{"scope": {"name": "agent_app", "version": "1.0"}, "spans": self.spans}]}]}).encode()
        request = urllib.request.Request(endpoint.rstrip("/") + "/v1/traces", data=body,
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            urllib.request.urlopen(request, timeout=5).read()
        except OSError as e:
            sys.stderr.write("agent_app: span export failed: %s\n" % e)


def chat(args, messages):
    body = json.dumps({"model": args.model, "messages": messages, "tools": TOOLS, "temperature": 0.2}).encode()
    request = urllib.request.Request(args.model_url.rstrip("/") + "/chat/completions", data=body,
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def web_search(arguments):
    done = subprocess.run([sys.executable, SEARCH], input=arguments, capture_output=True, text=True, timeout=10)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or "web_search exited with %d" % done.returncode)
    return done.stdout


def answer(args, question, tracer, entry):
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]
    tool_calls, usage = [], {"prompt_tokens": 0, "completion_tokens": 0}
    for _ in range(MAX_STEPS):
        start = time.time_ns()
        reply = chat(args, messages)
        u = reply.get("usage") or {}
        usage["prompt_tokens"] += u.get("prompt_tokens", 0)
        usage["completion_tokens"] += u.get("completion_tokens", 0)
        message = reply["choices"][0]["message"]
        tracer.span("chat " + args.model, entry, start, {
            "gen_ai.operation.name": "chat", "gen_ai.request.model": args.model,
            "gen_ai.usage.input_tokens": u.get("prompt_tokens", 0),
            "gen_ai.usage.output_tokens": u.get("completion_tokens", 0)}, kind=3)
        calls = message.get("tool_calls") or []
        if not calls:
            return message.get("content") or "", tool_calls, usage
        messages.append(message)
        for call in calls:
            name, arguments = call["function"]["name"], call["function"]["arguments"]
            start, error = time.time_ns(), None
            try:
                result = web_search(arguments) if name == "web_search" else "unknown tool " + name
            except (RuntimeError, subprocess.SubprocessError) as e:
                result, error = "error: %s" % e, str(e)
            tracer.span("execute_tool " + name, entry, start, {
                "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": name,
                "gen_ai.tool.call.id": call.get("id", ""), "gen_ai.tool.call.arguments": arguments,
                "gen_ai.tool.call.result": result[:2000]}, error=error)
            tool_calls.append({"name": name, "arguments": json.loads(arguments or "{}")})
            messages.append({"role": "tool", "tool_call_id": call.get("id", ""), "content": result})
    return "I could not finish within %d steps." % MAX_STEPS, tool_calls, usage


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        if self.path != "/answer":
            self.send_error(404)
            return
        start = time.time_ns()
        tracer = Tracer(self.headers.get("traceparent"))
        entry = hex_id(8)
        try:
            question = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))["question"]
            text, tool_calls, usage = answer(self.server.args, question, tracer, entry)
            status, reply, error = 200, {"answer": text, "tool_calls": tool_calls, "usage": usage}, None
        except (OSError, ValueError, KeyError) as e:
            status, reply, error = 500, {"error": str(e)}, str(e)
        # The server span, under the caller's span; its children were recorded with its id.
        tracer.spans.append({
            "traceId": tracer.trace_id, "spanId": entry, "parentSpanId": tracer.parent, "name": "POST /answer",
            "kind": 2, "startTimeUnixNano": str(start), "endTimeUnixNano": str(time.time_ns()),
            "attributes": [attr("http.request.method", "POST"), attr("http.route", "/answer"),
                           attr("gen_ai.operation.name", "invoke_agent"), attr("gen_ai.agent.name", "se-exam-agent")],
            "status": {"code": 2, "message": error} if error else {}})
        tracer.export(self.server.otlp_endpoint)
        body = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-url", required=True, help="an OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1")
    parser.add_argument("--model", default="sim")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--exit-after", type=float, default=0, help="stop after this many seconds (0: never)")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.args = args
    server.otlp_endpoint = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "")
    print(server.server_address[1], flush=True)
    if args.exit_after > 0:
        threading.Timer(args.exit_after, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
