// The suppression list: the strong identifiers of erased records
// (resolver/erasure.h), kept only as SHA-256 hashes of their normalized
// forms, so that re-ingesting an erased person does not re-create them
// unless the record carries renewed consent.
#ifndef C360_RESOLVER_SUPPRESSION_H_
#define C360_RESOLVER_SUPPRESSION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c360/record.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "resolver/normalized_record.h"
#include "store/repository.h"

namespace c360 {

// The SourceRecord attribute and value that declare renewed consent: a
// record carrying attributes["consent"] = "renewed" may re-create an erased
// person, and lifts the suppression of its identifiers.
inline constexpr char kConsentAttribute[] = "consent";
inline constexpr char kConsentRenewed[] = "renewed";

// One strong identifier of a record: its kind ("email", "phone", "social
// handle", "name and birth date") and the SHA-256 hex of its normalized
// form.
struct SuppressionKey {
  std::string kind;
  std::string hash;
};

// The record's strong identifiers: canonical e-mails, E.164 phones,
// platform:handle, and each name (all its tokens, sorted) with a full birth
// date. Business ids are left out: they name the person's organisation and
// are shared by colleagues.
std::vector<SuppressionKey> SuppressionKeys(const NormalizedRecord& record);

// Whether the record carries renewed consent (kConsentAttribute).
bool HasRenewedConsent(const SourceRecord& record);

// Adds the record's identifiers to the suppression list as of `now`.
void Suppress(const NormalizedRecord& record,
              const google::protobuf::Timestamp& now, RepositoryWrites* writes);

// Admits a record new to the store against the suppression list. Returns
// the hashes of its suppressed identifiers, which the caller deletes in the
// record's write when it carries renewed consent (empty when none is
// suppressed); InvalidArgument "record matches an erased person (suppressed
// identifier: email); send it with renewed consent to re-create" when one
// is suppressed and it carries no renewed consent.
absl::StatusOr<std::vector<std::string>> AdmitNewRecord(
    const Repository& repo, const SourceRecord& record,
    const NormalizedRecord& normalized);

}  // namespace c360

#endif  // C360_RESOLVER_SUPPRESSION_H_
