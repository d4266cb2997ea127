#include "resolver/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace c360 {

void ParallelFor(size_t n, int threads, size_t chunk,
                 const std::function<void(size_t i)>& fn,
                 const std::function<void(size_t done)>& progress) {
  std::atomic<size_t> next{0}, done{0};
  auto work = [&](bool report) {
    for (size_t begin; (begin = next.fetch_add(chunk)) < n;) {
      const size_t end = std::min(n, begin + chunk);
      for (size_t i = begin; i < end; ++i) fn(i);
      const size_t finished = done.fetch_add(end - begin) + (end - begin);
      if (report && progress) progress(finished);
    }
  };
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) workers.emplace_back(work, false);
  work(true);
  for (std::thread& worker : workers) worker.join();
  if (progress) progress(n);
}

}  // namespace c360
