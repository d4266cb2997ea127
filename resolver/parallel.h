// Data-parallel loops over index ranges, for the batch jobs (bulk load,
// purchased-data import) that keep both cores busy.
#ifndef C360_RESOLVER_PARALLEL_H_
#define C360_RESOLVER_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace c360 {

// Runs fn(i) for every i in [0, n) on `threads` threads that take `chunk`
// items at a time, so that uneven items still keep every core busy. The
// calling thread works too and is the one that calls `progress` (when set)
// with the number of items finished so far, last with n.
void ParallelFor(size_t n, int threads, size_t chunk,
                 const std::function<void(size_t i)>& fn,
                 const std::function<void(size_t done)>& progress = nullptr);

}  // namespace c360

#endif  // C360_RESOLVER_PARALLEL_H_
