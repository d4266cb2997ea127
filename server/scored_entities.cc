#include "server/scored_entities.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "resolver/entity_edit.h"
#include "store/repository.h"

namespace c360 {

EntityScoresWriter AnnounceEntityScores(KvStore* store, Resolver* resolver) {
  return [store, resolver](const WriteSet& writes,
                           const std::vector<std::string>& entities) {
    return resolver->RunExclusive([&](StoreCounters* counters) -> absl::Status {
      EntityEdit edit(store, counters, TimestampNow());
      absl::btree_set<std::string> live;
      for (const std::string& id : entities) {
        absl::StatusOr<std::string> survivor = edit.repo().LiveEntityId(id);
        if (absl::IsNotFound(survivor.status())) continue;
        if (!survivor.ok()) return survivor.status();
        live.insert(*std::move(survivor));
      }
      edit.writes().mutable_write_set()->Append(writes);
      for (const std::string& id : live) edit.AppendScored(id);
      return edit.Commit(store);
    });
  };
}

}  // namespace c360
