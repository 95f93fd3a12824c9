#include "engine/run/item_feed.h"

#include <algorithm>
#include <utility>

namespace llmeval {

void CompletedSlots::Add(const ItemSlot& slot) {
  ++size_;
  if (slot.row_index < 0 || slot.repeat < 0 || slot.repeat >= repeats_) return;  // Never asked for.
  std::vector<bool>& bits = by_variant_[slot.variant_id];
  size_t index = static_cast<size_t>(slot.row_index) * static_cast<size_t>(repeats_) + static_cast<size_t>(slot.repeat);
  if (index >= bits.size()) bits.resize(std::max(index + 1, bits.size() * 2));
  bits[index] = true;
}

bool CompletedSlots::Contains(int64_t variant_id, int64_t row_index, int repeat) const {
  auto found = by_variant_.find(variant_id);
  if (found == by_variant_.end() || row_index < 0 || repeat < 0 || repeat >= repeats_) return false;
  size_t index = static_cast<size_t>(row_index) * static_cast<size_t>(repeats_) + static_cast<size_t>(repeat);
  return index < found->second.size() && found->second[index];
}

ItemFeed::ItemFeed(RowReader* reader, RowSelector selector, const std::set<int64_t>* sampled, int64_t limit,
                   const std::vector<Variant>* variants, int repeat, const CompletedSlots* done)
    : reader_(reader),
      selector_(std::move(selector)),
      sampled_(sampled),
      limit_(limit),
      variants_(variants),
      repeat_(repeat),
      done_(done) {}

Result<bool> ItemFeed::NextRow() {
  while (true) {
    Result<bool> more = reader_->Next(&row_);
    if (!more.ok()) return more.status();
    if (!*more) return false;
    if (!selector_.Matches(row_)) continue;
    if (sampled_ != nullptr) {
      if (sampled_->count(row_.index) == 0) continue;
    } else if (limit_ > 0 && taken_ >= limit_) {
      return false;
    }
    ++taken_;
    return true;
  }
}

Result<bool> ItemFeed::Next(Item* out) {
  while (true) {
    if (!have_row_) {
      Result<bool> more = NextRow();
      if (!more.ok()) return more.status();
      if (!*more) return false;
      have_row_ = true;
      variant_ = 0;
      repeat_index_ = 0;
    }
    while (variant_ < variants_->size()) {
      const Variant& variant = (*variants_)[variant_];
      const int repeat = repeat_index_;
      if (++repeat_index_ >= repeat_) {
        repeat_index_ = 0;
        ++variant_;
      }
      if (done_->Contains(variant.record.id, row_.index, repeat)) continue;
      out->variant = &variant;
      out->repeat = repeat;
      if (variant_ >= variants_->size()) {
        out->row = std::move(row_);  // The row's last item: no copy.
        have_row_ = false;
      } else {
        out->row = row_;
      }
      return true;
    }
    have_row_ = false;
  }
}

}  // namespace llmeval
