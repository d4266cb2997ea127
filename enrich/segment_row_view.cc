#include "enrich/segment_row_view.h"

#include <algorithm>
#include <cstdint>

namespace c360 {
namespace {

constexpr int kLengthDelimited = 2;

// Reads the varint at `*pos`; false when it runs past the end or past 64
// bits.
bool ReadVarint(absl::string_view bytes, size_t* pos, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift < 64 && *pos < bytes.size(); shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(bytes[(*pos)++]);
    *value |= uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// One field of a message in wire format; `bytes` for length-delimited ones.
struct WireField {
  uint64_t number = 0;
  int type = 0;
  absl::string_view bytes;
};

// Reads the field at `*pos` and moves past it; false when malformed.
bool NextField(absl::string_view message, size_t* pos, WireField* field) {
  uint64_t tag = 0;
  if (!ReadVarint(message, pos, &tag)) return false;
  field->number = tag >> 3;
  field->type = static_cast<int>(tag & 7);
  uint64_t length = 0;
  switch (field->type) {
    case 0:
      return ReadVarint(message, pos, &length);
    case 1:
      length = 8;
      break;
    case 5:
      length = 4;
      break;
    case kLengthDelimited:
      if (!ReadVarint(message, pos, &length)) return false;
      break;
    default:  // groups: not in proto3
      return false;
  }
  if (length > message.size() - *pos) return false;
  field->bytes = message.substr(*pos, length);
  *pos += length;
  return true;
}

bool NameLess(absl::string_view a, absl::string_view b) { return a < b; }

}  // namespace

const SegmentField* FindField(const SegmentRow& row, absl::string_view name) {
  auto it = std::lower_bound(
      row.fields().begin(), row.fields().end(), name,
      [](const SegmentField& field, absl::string_view key) {
        return absl::string_view(field.name()) < key;
      });
  if (it == row.fields().end() || it->name() != name) return nullptr;
  return &*it;
}

bool SegmentRowView::Parse(absl::string_view bytes) {
  entity_id_ = {};
  fields_.clear();
  values_.clear();
  size_t pos = 0;
  WireField field;
  while (pos < bytes.size()) {
    if (!NextField(bytes, &pos, &field)) return false;
    if (field.type != kLengthDelimited) continue;
    if (field.number == SegmentRow::kEntityIdFieldNumber) {
      entity_id_ = field.bytes;
    } else if (field.number == SegmentRow::kFieldsFieldNumber &&
               !ParseField(field.bytes)) {
      return false;
    }
  }
  return true;
}

bool SegmentRowView::ParseField(absl::string_view bytes) {
  Field parsed{{}, values_.size(), 0};
  size_t pos = 0;
  WireField field;
  while (pos < bytes.size()) {
    if (!NextField(bytes, &pos, &field)) return false;
    if (field.type != kLengthDelimited) continue;
    if (field.number == SegmentField::kNameFieldNumber) {
      parsed.name = field.bytes;
    } else if (field.number == SegmentField::kValuesFieldNumber) {
      values_.push_back(field.bytes);
      ++parsed.value_count;
    }
  }
  fields_.push_back(parsed);
  return true;
}

absl::Span<const absl::string_view> SegmentRowView::Values(
    absl::string_view name) const {
  auto it = std::lower_bound(fields_.begin(), fields_.end(), name,
                             [](const Field& field, absl::string_view key) {
                               return field.name < key;
                             });
  if (it == fields_.end() || it->name != name) return {};
  return absl::MakeConstSpan(values_).subspan(it->first_value, it->value_count);
}

absl::string_view SegmentRowView::Golden(absl::string_view name) const {
  absl::Span<const absl::string_view> values = Values(name);
  return values.empty() ? absl::string_view() : values[0];
}

void SegmentRowView::CopyTo(const std::vector<std::string>& fields,
                            SegmentRow* out) const {
  // Clear keeps the cleared fields and strings for the adds below.
  out->Clear();
  out->mutable_entity_id()->assign(entity_id_.data(), entity_id_.size());
  for (const Field& field : fields_) {
    if (!fields.empty() &&
        !std::binary_search(fields.begin(), fields.end(), field.name, NameLess)) {
      continue;
    }
    SegmentField* copy = out->add_fields();
    copy->mutable_name()->assign(field.name.data(), field.name.size());
    for (size_t i = 0; i < field.value_count; ++i) {
      const absl::string_view value = values_[field.first_value + i];
      copy->add_values()->assign(value.data(), value.size());
    }
  }
}

}  // namespace c360
