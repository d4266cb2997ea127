#include "resolver/evaluation.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace c360 {
namespace {

int64_t Pairs(int64_t n) { return n * (n - 1) / 2; }

double Ratio(double part, double whole) { return whole == 0 ? 1.0 : part / whole; }

double F1(double p, double r) { return p + r == 0 ? 0 : 2 * p * r / (p + r); }

}  // namespace

ClusterMetrics Evaluate(const std::vector<Assignment>& assignments) {
  absl::flat_hash_map<std::string, int64_t> entity_size, person_size;
  absl::flat_hash_map<std::pair<std::string, std::string>, int64_t> overlap;
  for (const Assignment& a : assignments) {
    ++entity_size[a.entity_id];
    ++person_size[a.person_id];
    ++overlap[{a.entity_id, a.person_id}];
  }
  ClusterMetrics m;
  m.records = static_cast<int64_t>(assignments.size());
  m.entities = static_cast<int64_t>(entity_size.size());
  m.people = static_cast<int64_t>(person_size.size());
  for (const auto& [id, n] : entity_size) m.predicted_pairs += Pairs(n);
  for (const auto& [id, n] : person_size) m.true_pairs += Pairs(n);
  absl::flat_hash_map<std::string, int> people_in_entity, entities_of_person;
  double bcubed_p = 0, bcubed_r = 0;
  for (const auto& [cell, n] : overlap) {
    m.correct_pairs += Pairs(n);
    ++people_in_entity[cell.first];
    ++entities_of_person[cell.second];
    // Each of the n records in this cell has the same B-cubed precision and
    // recall, so add them n times at once.
    bcubed_p += n * Ratio(n, entity_size[cell.first]);
    bcubed_r += n * Ratio(n, person_size[cell.second]);
  }
  for (const auto& [id, count] : people_in_entity) m.mixed_entities += count > 1;
  for (const auto& [id, count] : entities_of_person) m.split_people += count > 1;
  m.pairwise_precision = Ratio(m.correct_pairs, m.predicted_pairs);
  m.pairwise_recall = Ratio(m.correct_pairs, m.true_pairs);
  m.pairwise_f1 = F1(m.pairwise_precision, m.pairwise_recall);
  m.bcubed_precision = Ratio(bcubed_p, m.records);
  m.bcubed_recall = Ratio(bcubed_r, m.records);
  m.bcubed_f1 = F1(m.bcubed_precision, m.bcubed_recall);
  return m;
}

}  // namespace c360
