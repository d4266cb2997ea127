#include "server/scored_entities.h"

#include <string>
#include <utility>
#include <vector>

#include "resolver/entity_edit.h"
#include "store/repository.h"

namespace c360 {

EntityScoresWriter AnnounceEntityScores(KvStore* store, Resolver* resolver) {
  return [store, resolver](const WriteSet& writes,
                           const std::vector<std::string>& entities) {
    return resolver->RunExclusive([&](StoreCounters* counters) -> absl::Status {
      EntityEdit edit(store, counters, TimestampNow());
      absl::StatusOr<std::vector<std::string>> live =
          edit.repo().LiveEntityIds(entities);
      if (!live.ok()) return live.status();
      edit.writes().mutable_write_set()->Append(writes);
      for (const std::string& id : *live) edit.AppendScored(id);
      return edit.Commit(store);
    });
  };
}

}  // namespace c360
