// The writer that stores entity-level scores for `c360 ml score-open`
// (ml/score_open.h) and announces them in the change feed, as ml/ cannot:
// change-log entries are numbered under the resolver's lock.
#ifndef C360_SERVER_SCORED_ENTITIES_H_
#define C360_SERVER_SCORED_ENTITIES_H_

#include "ml/customer_rows.h"
#include "resolver/resolver.h"
#include "store/kv_store.h"

namespace c360 {

// Commits each batch of entity-row writes in one write with an
// ENTITY_SCORED change per entity, under `resolver`'s lock (RunExclusive).
// An id merged away since the run resolved it is announced as its
// survivor, an erased one not at all, each live entity once per batch.
// `store` and `resolver` are not owned and must outlive the writer.
EntityScoresWriter AnnounceEntityScores(KvStore* store, Resolver* resolver);

}  // namespace c360

#endif  // C360_SERVER_SCORED_ENTITIES_H_
