#include "engine/run/run_compare.h"

#include <algorithm>
#include <memory>
#include <tuple>

namespace llmeval {
namespace {

constexpr int kQuestionExcerpt = 160;  // Bytes of the rendered input kept for a flipped item.

// One variant's items in (item_key, repeat) order with each key once: of a key's several rows, the last.
class DistinctItems {
 public:
  explicit DistinctItems(std::unique_ptr<ItemKeyCursor> cursor) : cursor_(std::move(cursor)) {}

  Result<bool> Next(ItemRecord* out) {
    if (!primed_) {
      primed_ = true;
      Status s = Advance();
      if (!s.ok()) return s;
    }
    if (!has_next_) return false;
    *out = std::move(next_);
    while (true) {
      Status s = Advance();
      if (!s.ok()) return s;
      if (!has_next_ || next_.item_key != out->item_key || next_.repeat != out->repeat) return true;
      *out = std::move(next_);
    }
  }

 private:
  Status Advance() {
    next_ = ItemRecord();
    Result<bool> more = cursor_->Next(&next_);
    if (!more.ok()) return more.status();
    has_next_ = *more;
    return Status::OK();
  }

  std::unique_ptr<ItemKeyCursor> cursor_;
  ItemRecord next_;
  bool has_next_ = false;
  bool primed_ = false;
};

const AssessmentRow* Find(const ItemRecord& item, const std::string& name) {
  for (const AssessmentRow& a : item.assessments) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

bool Decided(const AssessmentRow* a) { return a != nullptr && (a->outcome == "pass" || a->outcome == "fail"); }

// One scorer's running figures while the runs are merged.
struct ScorerTally {
  ScorerComparison result;
  PairedAccumulator pairs;  // Clustered by item key: the repeats of an item arrive together.
};

// The tally of `name`, added (in order of first appearance in run B) when new.
ScorerTally* TallyFor(std::vector<ScorerTally>* tallies, const std::string& name) {
  for (ScorerTally& t : *tallies) {
    if (t.result.scorer == name) return &t;
  }
  tallies->emplace_back();
  tallies->back().result.scorer = name;
  return &tallies->back();
}

void NoteScorers(const ItemRecord& b, std::vector<ScorerTally>* tallies) {
  for (const AssessmentRow& as : b.assessments) TallyFor(tallies, as.name);
}

void AddPair(const ItemRecord& a, const ItemRecord& b, int64_t cluster, std::vector<ScorerTally>* tallies) {
  for (size_t i = 0; i < b.assessments.size(); ++i) {
    const AssessmentRow& y = b.assessments[i];
    if (Find(b, y.name) != &y) continue;  // A later row of a scorer already seen on this item.
    ScorerTally* t = TallyFor(tallies, y.name);
    const AssessmentRow* x = Find(a, y.name);
    if (!Decided(x) || !Decided(&y)) continue;
    double pa = x->outcome == "pass" ? 1 : 0;
    double pb = y.outcome == "pass" ? 1 : 0;
    t->pairs.Add(cluster, pa == 1, pb == 1);
    if (pa == pb) continue;
    (pb > pa ? t->result.flipped_better : t->result.flipped_worse)++;
    if (t->result.flipped.size() < kMaxListedFlips) {
      t->result.flipped.push_back(
          {b.item_key, b.repeat, b.rendered_input.substr(0, kQuestionExcerpt), pb > pa, y.rationale, a.id, b.id});
    }
  }
}

int CompareKeys(const ItemRecord& a, const ItemRecord& b) {
  int c = a.item_key.compare(b.item_key);
  if (c != 0) return c;
  return a.repeat < b.repeat ? -1 : (a.repeat > b.repeat ? 1 : 0);
}

Result<VariantComparison> Compare(Store* store, const VariantRecord& va, const VariantRecord& vb) {
  VariantComparison vc;
  vc.label_a = va.Label();
  vc.label_b = vb.Label();
  auto cursor_a = store->ItemsByKey(va.run_id, va.id, kQuestionExcerpt);
  if (!cursor_a.ok()) return cursor_a.status();
  auto cursor_b = store->ItemsByKey(vb.run_id, vb.id, kQuestionExcerpt);
  if (!cursor_b.ok()) return cursor_b.status();
  DistinctItems items_a(std::move(cursor_a.value())), items_b(std::move(cursor_b.value()));
  std::vector<ScorerTally> tallies;
  int64_t cluster = -1;  // Numbers the paired item keys in order.
  std::string last_key;
  ItemRecord a, b;
  Result<bool> has_a = items_a.Next(&a);
  Result<bool> has_b = items_b.Next(&b);
  while (true) {
    if (!has_a.ok()) return has_a.status();
    if (!has_b.ok()) return has_b.status();
    if (!*has_a && !*has_b) break;
    int order = !*has_a ? 1 : (!*has_b ? -1 : CompareKeys(a, b));
    if (order <= 0) ++vc.items_a;
    if (order >= 0) {
      ++vc.items_b;
      NoteScorers(b, &tallies);
    }
    if (order == 0) {
      ++vc.paired_items;
      if (cluster < 0 || b.item_key != last_key) {
        ++cluster;
        last_key = b.item_key;
      }
      AddPair(a, b, cluster, &tallies);
    }
    if (order <= 0) has_a = items_a.Next(&a);
    if (order >= 0) has_b = items_b.Next(&b);
  }
  for (ScorerTally& t : tallies) {
    ScorerComparison& sc = t.result;
    sc.paired = static_cast<int64_t>(t.pairs.table().n());
    if (sc.paired > 0) {
      const PairedTable& table = t.pairs.table();
      sc.rate_a = (table.both_pass + table.baseline_only) / table.n();
      sc.rate_b = (table.both_pass + table.candidate_only) / table.n();
      sc.delta = t.pairs.Difference();
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
  // Every read below sees one snapshot, even while another process writes either run.
  Status s = store->InReadTransaction([&]() -> Status {
    if (va->size() == 1 && vb->size() == 1) {
      Result<VariantComparison> vc = Compare(store, (*va)[0], (*vb)[0]);
      if (!vc.ok()) return vc.status();
      out.variants.push_back(std::move(vc.value()));
      return Status::OK();
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
      Result<VariantComparison> vc = Compare(store, *partner, b);
      if (!vc.ok()) return vc.status();
      out.variants.push_back(std::move(vc.value()));
    }
    return Status::OK();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace llmeval
