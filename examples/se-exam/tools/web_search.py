#!/usr/bin/env python3
"""Offline stand-in for a web-search tool, for the se-exam example.

Protocol: one call per process.
  stdin:  one JSON object, e.g. {"query": "git detached HEAD", "max_results": 3}
  stdout: a short Markdown list of the best matches from corpus.jsonl:
            1. [Title](url) — snippet
          or "No results for <query>." when nothing matches.
  exit:   0 on success; 1 with a message on stderr when the input is invalid
          or the corpus cannot be read.

Scoring is deliberately simple: the query is split into lower-case words and
common stop words are dropped. Each remaining word scores 3 points when it
appears in a result's title, 1 when it appears in its snippet and 1 when it
appears in its URL, multiplied by a rarity weight (1 + ln(N / entries that
contain the word)) so that words found everywhere, like "git", count less.
Ties keep corpus order, so results are deterministic.

The corpus path defaults to corpus.jsonl next to this script; the environment
variable SE_EXAM_CORPUS overrides it. Standard library only.
"""

import json
import math
import os
import re
import sys

DEFAULT_MAX_RESULTS = 3
MAX_MAX_RESULTS = 10
STOP_WORDS = {
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for",
    "from", "how", "in", "is", "it", "its", "of", "on", "or", "s", "t",
    "the", "to", "what", "when", "which", "who", "why", "with", "you",
}
WORD_RE = re.compile(r"[a-z0-9]+")


def fail(message):
    sys.stderr.write("web_search: " + message + "\n")
    sys.exit(1)


def words(text):
    return {w for w in WORD_RE.findall(text.lower()) if w not in STOP_WORDS}


def load_corpus(path):
    entries = []
    try:
        with open(path, encoding="utf-8") as f:
            for line_no, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except ValueError as e:
                    fail("%s:%d: invalid JSON: %s" % (path, line_no, e))
                if not isinstance(entry, dict) or not all(
                        isinstance(entry.get(k), str)
                        for k in ("title", "url", "snippet")):
                    fail("%s:%d: expected an object with string fields "
                         "title, url and snippet" % (path, line_no))
                entries.append(entry)
    except OSError as e:
        fail("cannot read corpus %s: %s" % (path, e.strerror))
    return entries


def parse_request(text):
    try:
        request = json.loads(text)
    except ValueError as e:
        fail("stdin is not valid JSON (%s); expected an object like "
             '{"query": "...", "max_results": 3}' % e)
    if not isinstance(request, dict):
        fail('expected a JSON object like {"query": "...", "max_results": 3}')
    query = request.get("query")
    if not isinstance(query, str) or not query.strip():
        fail('"query" must be a non-empty string')
    max_results = request.get("max_results", DEFAULT_MAX_RESULTS)
    if (isinstance(max_results, bool) or not isinstance(max_results, int)
            or not 1 <= max_results <= MAX_MAX_RESULTS):
        fail('"max_results" must be an integer from 1 to %d' % MAX_MAX_RESULTS)
    return query.strip(), max_results


def search(entries, query, max_results):
    terms = words(query)
    fields = [(words(e["title"]), words(e["snippet"]), words(e["url"]))
              for e in entries]
    rarity = {}
    for t in terms:
        df = sum(1 for f in fields if t in f[0] or t in f[1] or t in f[2])
        rarity[t] = 1.0 + math.log(len(entries) / df) if df else 0.0
    scored = []
    for index, entry in enumerate(entries):
        title, snippet, url = fields[index]
        score = sum(rarity[t] * (3 * (t in title) + (t in snippet) + (t in url))
                    for t in terms)
        if score > 0:
            scored.append((-score, index, entry))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [entry for _, _, entry in scored[:max_results]]


def main():
    query, max_results = parse_request(sys.stdin.read())
    corpus_path = os.environ.get("SE_EXAM_CORPUS") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus.jsonl")
    results = search(load_corpus(corpus_path), query, max_results)
    if not results:
        print("No results for %s." % query)
        return 0
    for n, entry in enumerate(results, start=1):
        print("%d. [%s](%s) — %s" % (n, entry["title"], entry["url"],
                                     entry["snippet"]))
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")
    sys.exit(main())
