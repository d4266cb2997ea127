// Identifiers the resolver persists, shared by every writer of records and
// entities (the incremental Resolver and the bulk loader) so that a store
// written by one can be continued by the other.
#ifndef C360_RESOLVER_IDENTIFIERS_H_
#define C360_RESOLVER_IDENTIFIERS_H_

#include <cstdint>
#include <string>

#include "c360/record.pb.h"

namespace c360 {

// Fingerprint of a record's content, observed_at excluded: re-ingesting the
// same content is a no-op. FNV-1a over the deterministic serialization, so
// it is stable across processes and builds (it is persisted as
// StoredRecord.content_hash).
uint64_t ContentFingerprint(const SourceRecord& record);

// The id of the entity numbered `number` by StoreCounters.next_entity:
// "E" + 10 digits, so that the order of ids is the order of age.
std::string EntityIdFor(uint64_t number);

}  // namespace c360

#endif  // C360_RESOLVER_IDENTIFIERS_H_
