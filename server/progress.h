// A progress bar on stderr, drawn only when stderr is a terminal so that
// logs and pipes stay clean.
#ifndef C360_SERVER_PROGRESS_H_
#define C360_SERVER_PROGRESS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace c360 {

// Not thread-safe; update it from one thread.
class ProgressBar {
 public:
  // `total` in the unit of Update (bytes, records); 0 when unknown.
  ProgressBar(std::string label, int64_t total);
  ~ProgressBar();

  // Reports `done` units so far and `items` processed (shown as a rate);
  // redraws at most ten times a second.
  void Update(int64_t done, int64_t items);

  // Draws the final state and ends the line.
  void Finish();

 private:
  void Draw();

  std::string label_;
  int64_t total_;
  int64_t done_ = 0;
  int64_t items_ = 0;
  bool enabled_;
  bool finished_ = false;
  absl::Time start_;
  absl::Time last_draw_;
};

}  // namespace c360

#endif  // C360_SERVER_PROGRESS_H_
