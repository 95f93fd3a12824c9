#include "engine/run_compare.h"

#include <algorithm>
#include <map>

namespace llmeval {
namespace {

using Key = std::pair<std::string, int>;  // item_key, repeat

struct Indexed {
  std::map<Key, const ItemRecord*> items;
};

std::map<int64_t, Indexed> IndexByVariant(const std::vector<ItemRecord>& items) {
  std::map<int64_t, Indexed> out;
  for (const ItemRecord& item : items) out[item.variant_id].items[{item.item_key, item.repeat}] = &item;
  return out;
}

const AssessmentRow* Find(const ItemRecord& item, const std::string& name) {
  for (const AssessmentRow& a : item.assessments) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

bool Decided(const AssessmentRow* a) { return a != nullptr && (a->outcome == "pass" || a->outcome == "fail"); }

VariantComparison Compare(const VariantRecord& va, const Indexed& a, const VariantRecord& vb, const Indexed& b) {
  VariantComparison vc;
  vc.label_a = va.Label();
  vc.label_b = vb.Label();
  vc.items_a = static_cast<int64_t>(a.items.size());
  vc.items_b = static_cast<int64_t>(b.items.size());
  std::vector<std::string> scorer_names;
  for (const auto& [key, item] : b.items) {
    for (const AssessmentRow& as : item->assessments) {
      if (std::find(scorer_names.begin(), scorer_names.end(), as.name) == scorer_names.end()) {
        scorer_names.push_back(as.name);
      }
    }
  }
  for (const auto& [key, item] : b.items) vc.paired_items += a.items.count(key);
  for (const std::string& name : scorer_names) {
    ScorerComparison sc;
    sc.scorer = name;
    std::vector<double> diffs;
    double pass_a = 0, pass_b = 0;
    for (const auto& [key, item_b] : b.items) {
      auto it = a.items.find(key);
      if (it == a.items.end()) continue;
      const AssessmentRow* x = Find(*it->second, name);
      const AssessmentRow* y = Find(*item_b, name);
      if (!Decided(x) || !Decided(y)) continue;
      double pa = x->outcome == "pass" ? 1 : 0;
      double pb = y->outcome == "pass" ? 1 : 0;
      pass_a += pa;
      pass_b += pb;
      diffs.push_back(pb - pa);
      if (pa != pb) {
        sc.flipped.push_back({key.first, key.second, item_b->rendered_input.substr(0, 160), pb > pa, y->rationale,
                              it->second->id, item_b->id});
      }
    }
    sc.paired = static_cast<int64_t>(diffs.size());
    if (sc.paired > 0) {
      sc.rate_a = pass_a / static_cast<double>(sc.paired);
      sc.rate_b = pass_b / static_cast<double>(sc.paired);
      sc.delta = MeanWithInterval(diffs);
    }
    vc.scorers.push_back(std::move(sc));
  }
  return vc;
}

}  // namespace

Result<RunComparison> CompareRuns(Store* store, int64_t run_a, int64_t run_b) {
  RunComparison out;
  out.run_a = run_a;
  out.run_b = run_b;
  Result<std::vector<VariantRecord>> va = store->Variants(run_a);
  if (!va.ok()) return va.status();
  Result<std::vector<VariantRecord>> vb = store->Variants(run_b);
  if (!vb.ok()) return vb.status();
  if (va->empty())
    return Status::NotFound("run " + std::to_string(run_a) + " has no variants (see: llmeval runs list)");
  if (vb->empty())
    return Status::NotFound("run " + std::to_string(run_b) + " has no variants (see: llmeval runs list)");
  Result<std::vector<ItemRecord>> items_a = store->Items(run_a);
  if (!items_a.ok()) return items_a.status();
  Result<std::vector<ItemRecord>> items_b = store->Items(run_b);
  if (!items_b.ok()) return items_b.status();
  std::map<int64_t, Indexed> index_a = IndexByVariant(*items_a);
  std::map<int64_t, Indexed> index_b = IndexByVariant(*items_b);
  if (va->size() == 1 && vb->size() == 1) {
    out.variants.push_back(Compare((*va)[0], index_a[(*va)[0].id], (*vb)[0], index_b[(*vb)[0].id]));
    return out;
  }
  for (const VariantRecord& b : *vb) {
    const VariantRecord* partner = nullptr;
    for (const VariantRecord& a : *va) {
      if (a.prompt_name == b.prompt_name && a.model == b.model) partner = &a;
    }
    if (partner == nullptr) {
      out.notes.push_back(b.Label() + " has no partner in run " + std::to_string(run_a));
      continue;
    }
    out.variants.push_back(Compare(*partner, index_a[partner->id], b, index_b[b.id]));
  }
  return out;
}

}  // namespace llmeval
