// Quality of a clustering against known answers: pairwise and B-cubed
// precision, recall and F1, plus how many entities mix people and how many
// people are split.
#ifndef C360_RESOLVER_EVALUATION_H_
#define C360_RESOLVER_EVALUATION_H_

#include <cstdint>
#include <string>
#include <vector>

namespace c360 {

// One record: the entity c360 put it in and the person it really is.
struct Assignment {
  std::string entity_id;
  std::string person_id;
};

struct ClusterMetrics {
  int64_t records = 0;
  int64_t true_pairs = 0;       // pairs of records of the same person
  int64_t predicted_pairs = 0;  // pairs of records in the same entity
  int64_t correct_pairs = 0;    // both
  double pairwise_precision = 0;
  double pairwise_recall = 0;
  double pairwise_f1 = 0;
  double bcubed_precision = 0;
  double bcubed_recall = 0;
  double bcubed_f1 = 0;
  int64_t entities = 0;
  int64_t people = 0;
  int64_t mixed_entities = 0;  // entities holding more than one person
  int64_t split_people = 0;    // people spread over more than one entity
};

// Precision of an empty prediction is 1 (nothing claimed, nothing wrong).
ClusterMetrics Evaluate(const std::vector<Assignment>& assignments);

}  // namespace c360

#endif  // C360_RESOLVER_EVALUATION_H_
