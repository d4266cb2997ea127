// The seeded randomness of the sample generators (server/generator.h,
// server/provider_generator.h): the same seed gives the same data with any
// standard library. Internal to the generators.
#ifndef C360_SERVER_GENERATOR_RNG_H_
#define C360_SERVER_GENERATOR_RNG_H_

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace c360::generator_internal {

// The first of '|'-separated alternatives: the usual spelling.
inline std::string UsualSpelling(absl::string_view alternatives) {
  return std::string(alternatives.substr(0, alternatives.find('|')));
}

// A seeded source of choices. The engine's output sequence is fixed by the
// standard; the standard distributions are not (they differ between
// libstdc++ and libc++), so the choices are derived here by hand.
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n) for n > 0, by rejection so that no value is favoured.
  uint64_t Below(uint64_t n) {
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    const uint64_t limit = kMax - kMax % n;
    uint64_t x = engine_();
    while (x >= limit) x = engine_();
    return x % n;
  }
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Chance(double p) { return (engine_() >> 11) * 0x1.0p-53 < p; }

  template <typename T>
  const T& Pick(absl::Span<const T> items) {
    return items[Below(items.size())];
  }
  // One of the '|'-separated alternatives.
  std::string Variant(absl::string_view alternatives) {
    const std::vector<absl::string_view> parts =
        absl::StrSplit(alternatives, '|');
    return std::string(parts[Below(parts.size())]);
  }
  // A spelling of a name: the usual one half of the time, else any.
  std::string Spelling(absl::string_view alternatives) {
    return Chance(0.5) ? UsualSpelling(alternatives) : Variant(alternatives);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace c360::generator_internal

#endif  // C360_SERVER_GENERATOR_RNG_H_
