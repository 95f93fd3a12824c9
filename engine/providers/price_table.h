// PriceTable: what a model call cost in US dollars, from token usage and per-million-token prices. Dated snapshots
// ("gpt-4.1-mini-2025-04-14") and router prefixes ("openai/gpt-4o") match their base model. An unknown model, or a
// response without usage, has an unknown cost (nullopt), never zero. Const methods are thread-safe.
#ifndef LLMEVAL_ENGINE_PROVIDERS_PRICE_TABLE_H_
#define LLMEVAL_ENGINE_PROVIDERS_PRICE_TABLE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/chat.h"

namespace llmeval {

struct Price {
  double input_per_mtok = 0;
  double output_per_mtok = 0;
  double cached_input_per_mtok = 0;  // Cached prompt tokens are billed at this rate instead of input_per_mtok.
};

class PriceTable {
 public:
  // Cost of one call: uncached input, cached input and output (reasoning included) tokens at their prices.
  std::optional<double> CostUsd(std::string_view model, const Usage& usage) const;
  std::optional<Price> Find(std::string_view model) const;
  void Set(std::string model, Price price);

  // Public list prices of common OpenAI models, plus "sim" priced like gpt-4.1-mini so the demo shows costs.
  static PriceTable Defaults();

 private:
  std::map<std::string, Price, std::less<>> prices_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_PROVIDERS_PRICE_TABLE_H_
