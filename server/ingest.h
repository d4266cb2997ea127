// Loading records into the resolver in chunks, counting outcomes and
// rejections the same way for gRPC streams and local files.
#ifndef C360_SERVER_INGEST_H_
#define C360_SERVER_INGEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "c360/service.pb.h"
#include "resolver/resolver.h"

namespace c360 {

// Resolves `chunk` with UpsertBatch and adds its outcomes to `summary`. A
// record that fails validation is counted as rejected and listed (up to
// 1000 listed) with its index, `first_index` + its position in the chunk.
// Any other error stops and is returned; records before it stay stored.
absl::Status ResolveChunk(Resolver& resolver,
                          const std::vector<SourceRecord>& chunk,
                          int64_t first_index, UpsertSummary* summary);

}  // namespace c360

#endif  // C360_SERVER_INGEST_H_
