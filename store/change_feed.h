// The change feed: reading the change log in order and waiting for new
// entries without polling.
#ifndef C360_STORE_CHANGE_FEED_H_
#define C360_STORE_CHANGE_FEED_H_

#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "c360/change.pb.h"
#include "store/kv_store.h"

namespace c360 {

// Tells change-feed readers that change-log entries were committed, so that
// they wait instead of polling. Thread-safe.
class ChangeNotifier {
 public:
  // Records that every change up to `sequence` is committed; wakes waiters.
  void Published(uint64_t sequence);

  // Blocks until a change after `sequence` is committed or `timeout` passes;
  // returns the last committed sequence known.
  uint64_t WaitBeyond(uint64_t sequence, absl::Duration timeout);

 private:
  absl::Mutex mutex_;
  uint64_t last_ ABSL_GUARDED_BY(mutex_) = 0;
};

// What FollowChanges asks of its caller.
struct ChangeSink {
  // Delivers one event; false stops the feed (the reader went away).
  std::function<bool(const ChangeEvent&)> send;
  // Whether to stop waiting for more.
  std::function<bool()> cancelled;
};

// Sends every change with sequence >= `from_sequence` (0 = from the start)
// in order. Without `follow`, returns after the last stored change; with it,
// keeps waiting on `notifier` for new changes until the sink is cancelled or
// stops taking events. Errors of the store are returned.
absl::Status FollowChanges(const ReadView& view, ChangeNotifier& notifier,
                           uint64_t from_sequence, bool follow,
                           const ChangeSink& sink);

}  // namespace c360

#endif  // C360_STORE_CHANGE_FEED_H_
