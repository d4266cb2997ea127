// Blocking: the keys under which a record is indexed so that records that may
// be the same person meet without comparing every pair.
#ifndef C360_RESOLVER_CANDIDATE_KEYS_H_
#define C360_RESOLVER_CANDIDATE_KEYS_H_

#include <string>
#include <vector>

#include "resolver/comparison.h"
#include "resolver/normalized_record.h"

namespace c360 {

// The record's candidate keys, deduplicated. Kinds (prefix: value):
//   "em:" canonical e-mail          "ph:" E.164 phone
//   "bi:" business id               "sh:" platform:handle
//   "nd:" name token|birth date     (a full birth date is needed)
//   "np:" family name token|postcode (every token when the order is unknown)
// Name keys use each token on its own so that swapped, partial and
// multi-part names still meet; tokens shorter than two letters are skipped.
std::vector<std::string> CandidateKeys(const NormalizedRecord& record);

// The blocking keys of a record: CandidateKeys (e-mail, phone, business id,
// handle, name + birth date, family name + postcode) plus keys for records
// without contact data, each of which survives typos in the other fields:
// social security number (as written and with its digits sorted, which
// survives transposed digits), full birth date, given + family name in
// either order, given name + postcode, given name + city, family name +
// city, street + house number, street + postcode.
std::vector<std::string> BlockingKeys(const ComparableRecord& record);

}  // namespace c360

#endif  // C360_RESOLVER_CANDIDATE_KEYS_H_
