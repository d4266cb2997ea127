// Links between records and purchased company rows that follow from a
// record's own content: its business id or company name + postcode
// (CompanyMatchKeys). Installed as the resolver's RecordWriteHook, so a
// record that arrives after a company delivery gets that company's data in
// the same write that stores it.
#ifndef C360_ENRICH_COMPANY_LINKS_H_
#define C360_ENRICH_COMPANY_LINKS_H_

#include "absl/status/status.h"
#include "c360/storage.pb.h"
#include "store/kv_store.h"

namespace c360 {

// Adds to `writes` a link from `record` to every company row (any
// delivery) indexed under one of its match keys, and deletes its links to
// company rows it no longer matches (its business id changed). Links to
// person rows are left alone.
absl::Status LinkRecordToCompanies(const ReadView& view,
                                   const StoredRecord& record,
                                   WriteSet* writes);

}  // namespace c360

#endif  // C360_ENRICH_COMPANY_LINKS_H_
