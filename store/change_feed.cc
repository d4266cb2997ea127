#include "store/change_feed.h"

#include <algorithm>

#include "store/repository.h"

namespace c360 {
namespace {

// How long a follower sleeps before it looks at its sink again.
constexpr absl::Duration kWakeUp = absl::Milliseconds(500);

}  // namespace

void ChangeNotifier::Published(uint64_t sequence) {
  absl::MutexLock lock(&mutex_);
  last_ = std::max(last_, sequence);
}

uint64_t ChangeNotifier::WaitBeyond(uint64_t sequence, absl::Duration timeout) {
  absl::MutexLock lock(&mutex_);
  auto beyond = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return last_ > sequence;
  };
  mutex_.AwaitWithTimeout(absl::Condition(&beyond), timeout);
  return last_;
}

absl::Status FollowChanges(const ReadView& view, ChangeNotifier& notifier,
                           uint64_t from_sequence, bool follow,
                           const ChangeSink& sink) {
  Repository repo(&view);
  uint64_t next = std::max<uint64_t>(from_sequence, 1);
  bool receiving = true;
  while (true) {
    absl::Status scanned = repo.ScanChanges(next, [&](const ChangeEvent& event) {
      receiving = sink.send(event);
      if (receiving) next = event.sequence() + 1;
      return receiving;
    });
    if (!scanned.ok()) return scanned;
    if (!receiving || !follow || sink.cancelled()) return absl::OkStatus();
    notifier.WaitBeyond(next - 1, kWakeUp);
  }
}

}  // namespace c360
