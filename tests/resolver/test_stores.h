// Test helpers for resolver suites: a store wrapper whose commits a test can
// observe or fail, and a record builder.
#ifndef C360_TESTS_RESOLVER_TEST_STORES_H_
#define C360_TESTS_RESOLVER_TEST_STORES_H_

#include <memory>
#include <string>

#include "c360/record.pb.h"
#include "store/kv_store.h"

namespace c360 {

// Passes every call to `inner` (not owned); subclasses override Commit to
// count or fail writes, like a crash or a full disk.
class ForwardingStore : public KvStore {
 public:
  explicit ForwardingStore(KvStore* inner) : inner_(inner) {}
  absl::StatusOr<std::string> Get(Table t, absl::string_view k) const override {
    return inner_->Get(t, k);
  }
  absl::Status Scan(Table t, absl::string_view p, absl::string_view s,
                    const ScanVisitor& v) const override {
    return inner_->Scan(t, p, s, v);
  }
  absl::Status Commit(const WriteSet& writes) override {
    return inner_->Commit(writes);
  }
  std::unique_ptr<ReadView> Snapshot() const override { return inner_->Snapshot(); }

 private:
  KvStore* inner_;
};

// A record of `source`/`id` with one structured name.
inline SourceRecord Person(const std::string& source, const std::string& id,
                           const std::string& given, const std::string& family) {
  SourceRecord r;
  r.set_source(source);
  r.set_source_id(id);
  PersonName* name = r.add_names();
  name->set_given(given);
  name->set_family(family);
  return r;
}

// `r` living in the Poznań flat of the family cases: its landline, street
// and postcode.
inline SourceRecord AtHome(SourceRecord r) {
  r.add_phones("+48 61 715 18 74");
  PostalAddress* home = r.add_addresses();
  home->set_street("ul. Floriańska 63/68");
  home->set_postcode("61-428");
  home->set_country("PL");
  return r;
}

}  // namespace c360

#endif  // C360_TESTS_RESOLVER_TEST_STORES_H_
