// "Search before create": the entities that already hold an e-mail, a phone,
// or a name with a birth date, looked up through the candidate-key index.
#ifndef C360_RESOLVER_FINDER_H_
#define C360_RESOLVER_FINDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/kv_store.h"

namespace c360 {

struct FindQuery {
  std::string email;
  std::string phone;
  // Region for a phone without country code.
  std::string region = "FI";
  // A name (any script, any order); needs birth_date beside it.
  std::string name;
  std::string birth_date;
  // Most entities returned.
  size_t limit = 10;
};

struct FoundEntity {
  std::string entity_id;
  // The criteria it matched: "email", "phone", "name_birth_date".
  std::vector<std::string> matched_on;
};

// Entities matching any criterion, those matching more criteria first (then
// by id). InvalidArgument when no criterion is given, when a name comes
// without a birth date (or the reverse), or when a value does not parse.
absl::StatusOr<std::vector<FoundEntity>> FindEntities(const ReadView& view,
                                                      const FindQuery& query);

}  // namespace c360

#endif  // C360_RESOLVER_FINDER_H_
