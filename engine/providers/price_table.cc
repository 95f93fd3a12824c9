#include "engine/providers/price_table.h"

#include <algorithm>
#include <cctype>

namespace llmeval {
namespace {

// "gpt-4.1-mini-2025-04-14" -> "gpt-4.1-mini"; other names unchanged.
std::string_view StripDateSuffix(std::string_view model) {
  constexpr std::string_view kShape = "-dddd-dd-dd";
  if (model.size() <= kShape.size()) return model;
  std::string_view tail = model.substr(model.size() - kShape.size());
  for (size_t i = 0; i < kShape.size(); ++i) {
    bool digit = std::isdigit(static_cast<unsigned char>(tail[i])) != 0;
    if (kShape[i] == 'd' ? !digit : tail[i] != '-') return model;
  }
  return model.substr(0, model.size() - kShape.size());
}

}  // namespace

std::optional<Price> PriceTable::Find(std::string_view model) const {
  for (int pass = 0; pass < 2; ++pass) {
    if (auto it = prices_.find(model); it != prices_.end()) return it->second;
    if (auto it = prices_.find(StripDateSuffix(model)); it != prices_.end()) return it->second;
    size_t slash = model.rfind('/');  // "openai/gpt-4o" as routers name it.
    if (slash == std::string_view::npos) break;
    model = model.substr(slash + 1);
  }
  return std::nullopt;
}

std::optional<double> PriceTable::CostUsd(std::string_view model, const Usage& usage) const {
  if (!usage.reported) return std::nullopt;
  std::optional<Price> price = Find(model);
  if (!price) return std::nullopt;
  double cached = static_cast<double>(std::min(usage.cached_tokens, usage.input_tokens));
  double uncached = static_cast<double>(usage.input_tokens) - cached;
  double output = static_cast<double>(usage.output_tokens);
  return (uncached * price->input_per_mtok + cached * price->cached_input_per_mtok + output * price->output_per_mtok) /
         1e6;
}

void PriceTable::Set(std::string model, Price price) { prices_[std::move(model)] = price; }

PriceTable PriceTable::Defaults() {
  PriceTable table;
  // OpenAI's public list prices in US dollars per million tokens (input, output, cached input), as of 2025.
  table.Set("gpt-4.1", {2.00, 8.00, 0.50});
  table.Set("gpt-4.1-mini", {0.40, 1.60, 0.10});
  table.Set("gpt-4.1-nano", {0.10, 0.40, 0.025});
  table.Set("gpt-4o", {2.50, 10.00, 1.25});
  table.Set("gpt-4o-mini", {0.15, 0.60, 0.075});
  table.Set("gpt-5", {1.25, 10.00, 0.125});
  table.Set("gpt-5-mini", {0.25, 2.00, 0.025});
  table.Set("gpt-5-nano", {0.05, 0.40, 0.005});
  table.Set("o3", {2.00, 8.00, 0.50});
  table.Set("o4-mini", {1.10, 4.40, 0.275});
  // The simulated model costs what gpt-4.1-mini would, so demos show realistic costs.
  table.Set("sim", {0.40, 1.60, 0.10});
  return table;
}

}  // namespace llmeval
