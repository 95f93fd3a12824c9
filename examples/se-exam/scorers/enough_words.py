#!/usr/bin/env python3
"""enough_words: a persistent command scorer for llmeval (JSON Lines over stdio).

The process stays alive and answers one request per line until stdin closes.

Request (one JSON object per line):
  {"id": ..., "scorer": "enough_words", "inputs": {...}, "output": "...",
   "expectations": {...}, "trace": {...}, "params": {"min_words": 10}}
Response (one JSON object per line, flushed immediately):
  {"id": <same id>, "value": true|false, "rationale": "..."}
Errors:
  a line that is not a JSON object  -> {"id": null, "error": "..."}
  a valid object with a bad field   -> {"id": <its id>, "error": "..."}

The answer passes when it has at least min_words words (default 10). A word is
a run of characters that are not ASCII whitespace (space, tab, CR, LF, FF,
VT), the same rule as the not_too_many_words C++ plugin. A null or missing
output counts as zero words. Blank lines are ignored. Standard library only.
"""

import json
import re
import sys

DEFAULT_MIN_WORDS = 10
WORD_RE = re.compile(r"[^ \t\r\n\f\v]+")


def count_words(text):
    return len(WORD_RE.findall(text))


def score(request):
    """Returns the response object for one well-formed request object."""
    request_id = request.get("id")
    params = request.get("params") or {}
    if not isinstance(params, dict):
        return {"id": request_id, "error": '"params" must be an object'}
    min_words = params.get("min_words", DEFAULT_MIN_WORDS)
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 0:
        return {"id": request_id,
                "error": '"params.min_words" must be a non-negative integer'}
    output = request.get("output")
    if output is None:
        output = ""
    if not isinstance(output, str):
        return {"id": request_id, "error": '"output" must be a string or null'}
    n = count_words(output)
    passed = n >= min_words
    rationale = "The answer has %d word%s; at least %d %s required." % (
        n, "" if n == 1 else "s", min_words,
        "is" if min_words == 1 else "are")
    return {"id": request_id, "value": passed, "rationale": rationale}


def handle_line(line):
    try:
        request = json.loads(line)
    except ValueError as e:
        return {"id": None, "error": "invalid JSON request: %s" % e}
    if not isinstance(request, dict):
        return {"id": None, "error": "a request must be a JSON object"}
    return score(request)


def main():
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    while True:
        raw = stdin.readline()
        if not raw:
            return 0
        line = raw.decode("utf-8", errors="replace").strip()
        if not line:
            continue
        response = handle_line(line)
        stdout.write(json.dumps(response).encode("ascii") + b"\n")
        stdout.flush()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(0)
