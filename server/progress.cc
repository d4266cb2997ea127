#include "server/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "absl/time/clock.h"

namespace c360 {

ProgressBar::ProgressBar(std::string label, int64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(absl::Now()),
      last_draw_(absl::InfinitePast()) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(int64_t done, int64_t items) {
  done_ = done;
  items_ = items;
  absl::Time now = absl::Now();
  if (now - last_draw_ < absl::Milliseconds(100)) return;
  last_draw_ = now;
  Draw();
}

void ProgressBar::Finish() {
  if (finished_) return;
  finished_ = true;
  if (!enabled_) return;
  Draw();
  std::fputc('\n', stderr);
}

void ProgressBar::Draw() {
  if (!enabled_) return;
  constexpr int kWidth = 30;
  double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
  double rate = seconds > 0 ? items_ / seconds : 0;
  if (total_ > 0) {
    double fraction = std::min(1.0, static_cast<double>(done_) / total_);
    int filled = static_cast<int>(fraction * kWidth);
    std::fprintf(stderr, "\r%s [%-*s] %3d%%  %lld items  %.0f/s ",
                 label_.c_str(), kWidth, std::string(filled, '#').c_str(),
                 static_cast<int>(fraction * 100),
                 static_cast<long long>(items_), rate);
  } else {
    std::fprintf(stderr, "\r%s %lld items  %.0f/s ", label_.c_str(),
                 static_cast<long long>(items_), rate);
  }
  std::fflush(stderr);
}

}  // namespace c360
