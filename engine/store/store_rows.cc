#include "engine/store/store_rows.h"

namespace llmeval {
namespace {

// The item columns after the three text columns, in the order ReadItem expects.
constexpr char kItemTail[] =
    "COALESCE(i.error, ''), COALESCE(i.error_type, ''), COALESCE(i.finish_reason, ''), i.input_tokens, "
    "i.output_tokens, i.cached_tokens, i.reasoning_tokens, i.cost_usd, i.latency_ms, i.ttfb_ms, i.from_cache, "
    "i.model_calls, i.tool_calls, i.trace_id, i.started_unix_ns, i.ended_unix_ns";

}  // namespace

std::string SelectItems(const std::string& text_columns) {
  return "SELECT i.id, i.run_id, i.variant_id, i.row_index, i.repeat, i.item_key, " + text_columns + ", " + kItemTail +
         " ";
}

ItemRecord ReadItem(const SqliteStatement& r) {
  ItemRecord it;
  it.id = r.Int(0);
  it.run_id = r.Int(1);
  it.variant_id = r.Int(2);
  it.row_index = r.Int(3);
  it.repeat = static_cast<int>(r.Int(4));
  it.item_key = r.Text(5);
  it.inputs_json = r.Text(6);
  it.rendered_input = r.Text(7);
  if (!r.IsNull(8)) it.output = r.Text(8);
  it.error = r.Text(9);
  it.error_type = r.Text(10);
  it.finish_reason = r.Text(11);
  it.input_tokens = r.Int(12);
  it.output_tokens = r.Int(13);
  it.cached_tokens = r.Int(14);
  it.reasoning_tokens = r.Int(15);
  it.cost_usd = r.OptionalDouble(16);
  it.latency_ms = r.Double(17);
  it.ttfb_ms = r.Double(18);
  it.from_cache = r.Int(19) != 0;
  it.model_calls = static_cast<int>(r.Int(20));
  it.tool_calls = static_cast<int>(r.Int(21));
  it.trace_id = r.Text(22);
  it.started_unix_ns = r.Int(23);
  it.ended_unix_ns = r.Int(24);
  return it;
}

const char kAssessmentColumns[] =
    "a.item_id, a.name, a.outcome, a.score, a.label, a.rationale, a.source, a.error, a.judge_model, "
    "a.judge_input_tokens, a.judge_output_tokens, a.judge_cost_usd, a.judge_samples, a.judge_agreement ";

AssessmentRow ReadAssessment(const SqliteStatement& s) {
  AssessmentRow as;
  as.name = s.Text(1);
  as.outcome = s.Text(2);
  as.score = s.OptionalDouble(3);
  as.label = s.Text(4);
  as.rationale = s.Text(5);
  as.source = s.Text(6);
  as.error = s.Text(7);
  as.judge_model = s.Text(8);
  as.judge_input_tokens = s.Int(9);
  as.judge_output_tokens = s.Int(10);
  as.judge_cost_usd = s.OptionalDouble(11);
  as.judge_samples = static_cast<int>(s.Int(12));
  as.judge_agreement = s.OptionalDouble(13);
  return as;
}

}  // namespace llmeval
