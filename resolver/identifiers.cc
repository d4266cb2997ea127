#include "resolver/identifiers.h"

#include "absl/strings/str_format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace c360 {

uint64_t ContentFingerprint(const SourceRecord& record) {
  SourceRecord content = record;
  content.clear_observed_at();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    content.SerializeToCodedStream(&out);
  }
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

std::string EntityIdFor(uint64_t number) {
  return absl::StrFormat("E%010d", number);
}

}  // namespace c360
