#include "engine/item_pump.h"

#include <algorithm>
#include <chrono>
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

ItemPump::ItemPump(ItemFeed* feed, int capacity, std::function<bool()> stop_taking,
                   std::function<void(ItemFeed::Item)> start)
    : feed_(feed), capacity_(capacity), stop_taking_(std::move(stop_taking)), start_(std::move(start)) {}

void ItemPump::Fill() {
  // An item that finishes inside start_ calls Fill again on this thread: the loop below sees its freed slot, so
  // the inner call returns instead of recursing (a dataset whose every row fails to render would otherwise nest one
  // call per row).
  static thread_local const ItemPump* filling = nullptr;
  if (filling == this) return;
  const ItemPump* outer = filling;
  filling = this;
  bool idle = false;
  while (true) {
    ItemFeed::Item item;
    bool take = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!feed_ended_ && in_flight_ < capacity_) {
        if (stop_taking_()) {
          stopped_ = true;
          feed_ended_ = true;
        } else {
          Result<bool> more = feed_->Next(&item);
          if (!more.ok()) {
            status_ = more.status();
            feed_ended_ = true;
          } else if (!*more) {
            feed_ended_ = true;
          } else {
            ++in_flight_;
            take = true;
          }
        }
      }
      if (!take) {
        idle = feed_ended_ && in_flight_ == 0;
        break;
      }
    }
    start_(std::move(item));
  }
  filling = outer;
  if (idle) idle_.notify_all();
}

void ItemPump::Wait(const std::function<bool()>& give_up) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!give_up()) {
    // Asked here too, so an interrupt is noticed while every item in flight is still running.
    if (!feed_ended_ && stop_taking_()) {
      stopped_ = true;
      feed_ended_ = true;
    }
    if (feed_ended_ && in_flight_ == 0) return;
    idle_.wait_for(lock, std::chrono::milliseconds(100));
  }
}

bool ItemPump::stopped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stopped_;
}

Status ItemPump::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

}  // namespace llmeval
