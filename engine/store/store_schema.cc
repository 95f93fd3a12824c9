#include "engine/store/store_schema.h"

namespace llmeval {

const std::vector<std::string_view>& StoreMigrations() {
  static const std::vector<std::string_view> kMigrations = {
      // 1: the first schema.
      R"sql(
CREATE TABLE experiments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_unix_ns INTEGER NOT NULL
);
CREATE TABLE prompt_versions (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  content TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  created_unix_ns INTEGER NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  git_commit TEXT NOT NULL DEFAULT '',
  UNIQUE (name, version),
  UNIQUE (name, sha256)
);
CREATE TABLE prompt_aliases (
  name TEXT NOT NULL,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_unix_ns INTEGER NOT NULL,
  PRIMARY KEY (name, alias)
);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  started_unix_ns INTEGER NOT NULL,
  ended_unix_ns INTEGER,
  params_json TEXT NOT NULL DEFAULT '{}',
  dataset_path TEXT NOT NULL DEFAULT '',
  dataset_sha256 TEXT NOT NULL DEFAULT '',
  dataset_rows INTEGER NOT NULL DEFAULT 0,
  git_commit TEXT NOT NULL DEFAULT '',
  pid INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE variants (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  prompt_name TEXT NOT NULL,
  prompt_version INTEGER NOT NULL,
  system_name TEXT NOT NULL DEFAULT '',
  system_version INTEGER NOT NULL DEFAULT 0,
  addendum_name TEXT NOT NULL DEFAULT '',
  addendum_version INTEGER NOT NULL DEFAULT 0,
  model TEXT NOT NULL,
  UNIQUE (run_id, prompt_name, prompt_version, model)
);
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  variant_id INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
  row_index INTEGER NOT NULL,
  repeat INTEGER NOT NULL DEFAULT 0,
  item_key TEXT NOT NULL,
  inputs_json TEXT NOT NULL,
  rendered_input TEXT NOT NULL,
  output TEXT,
  error TEXT,
  error_type TEXT,
  finish_reason TEXT,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cached_tokens INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL,
  latency_ms REAL NOT NULL DEFAULT 0,
  ttfb_ms REAL NOT NULL DEFAULT 0,
  from_cache INTEGER NOT NULL DEFAULT 0,
  model_calls INTEGER NOT NULL DEFAULT 0,
  tool_calls INTEGER NOT NULL DEFAULT 0,
  trace_id TEXT NOT NULL DEFAULT '',
  started_unix_ns INTEGER NOT NULL,
  ended_unix_ns INTEGER NOT NULL,
  UNIQUE (run_id, variant_id, row_index, repeat)
);
CREATE INDEX items_by_key ON items (item_key);
CREATE TABLE assessments (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  outcome TEXT NOT NULL,
  score REAL,
  label TEXT NOT NULL DEFAULT '',
  rationale TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  judge_model TEXT NOT NULL DEFAULT '',
  judge_input_tokens INTEGER NOT NULL DEFAULT 0,
  judge_output_tokens INTEGER NOT NULL DEFAULT 0,
  judge_cost_usd REAL,
  judge_samples INTEGER NOT NULL DEFAULT 0,
  judge_agreement REAL,
  created_unix_ns INTEGER NOT NULL
);
CREATE INDEX assessments_by_item ON assessments (item_id);
CREATE TABLE spans (
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  parent_span_id TEXT NOT NULL DEFAULT '',
  run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  start_unix_ns INTEGER NOT NULL,
  end_unix_ns INTEGER NOT NULL,
  status INTEGER NOT NULL,
  status_message TEXT NOT NULL DEFAULT '',
  attributes_json TEXT NOT NULL DEFAULT '{}',
  events_json TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX spans_by_run ON spans (run_id);
CREATE TABLE response_cache (
  key TEXT PRIMARY KEY,
  response_json TEXT NOT NULL,
  created_unix_ns INTEGER NOT NULL
);
)sql",
      // 2: human feedback finds items by trace id (llmeval feedback add TRACE_ID).
      R"sql(
CREATE INDEX IF NOT EXISTS items_by_trace ON items (trace_id);
)sql",
      // 3: report and ui filters find the items with an error or a failed or errored scorer without reading them all.
      R"sql(
CREATE INDEX IF NOT EXISTS assessments_by_outcome ON assessments (outcome, name, source, item_id);
CREATE INDEX IF NOT EXISTS items_with_error ON items (run_id) WHERE error IS NOT NULL;
)sql",
      // 4: no query looks items up by item_key (runs are compared in memory), and its index took a write on a random
      // page for every stored item.
      R"sql(
DROP INDEX IF EXISTS items_by_key;
)sql",
      // 5: spans collected from instrumented applications (llmeval collect) live in `spans` with no run, with their
      // resource (deduplicated in otel_resources), service.name and instrumentation scope; their roots are listed by
      // time; monitors remember which traces they scored.
      R"sql(
CREATE TABLE otel_resources (
  id INTEGER PRIMARY KEY,
  attributes_json TEXT NOT NULL UNIQUE
);
ALTER TABLE spans ADD COLUMN service_name TEXT NOT NULL DEFAULT '';
ALTER TABLE spans ADD COLUMN scope_name TEXT NOT NULL DEFAULT '';
ALTER TABLE spans ADD COLUMN scope_version TEXT NOT NULL DEFAULT '';
ALTER TABLE spans ADD COLUMN resource_id INTEGER REFERENCES otel_resources(id);
ALTER TABLE spans ADD COLUMN received_unix_ns INTEGER NOT NULL DEFAULT 0;
CREATE INDEX collected_roots ON spans (start_unix_ns) WHERE run_id IS NULL AND parent_span_id = '';
CREATE TABLE monitor_scored (
  monitor TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  scored_unix_ns INTEGER NOT NULL,
  PRIMARY KEY (monitor, trace_id)
) WITHOUT ROWID;
)sql",
      // 6: llmeval monitor: what became of each trace a monitor considered (scored, not sampled, skipped with its
      // reason) and every scorer's verdict on it, by the trace's start time for the rolling windows.
      R"sql(
ALTER TABLE monitor_scored ADD COLUMN state TEXT NOT NULL DEFAULT 'scored';
ALTER TABLE monitor_scored ADD COLUMN run_id INTEGER;
CREATE TABLE monitor_verdicts (
  monitor TEXT NOT NULL,
  scorer TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  trace_start_unix_ns INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  PRIMARY KEY (monitor, scorer, trace_id)
) WITHOUT ROWID;
CREATE INDEX monitor_verdicts_by_time ON monitor_verdicts (monitor, scorer, trace_start_unix_ns);
)sql",
  };
  return kMigrations;
}

}  // namespace llmeval
