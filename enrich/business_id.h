// Company identity for purchased company-register data: business ids parsed
// as written into one canonical, check-digit-validated form, and company
// names reduced to a key without legal forms, so that a register row and a
// record naming the same company meet.
//
// All functions are thread-safe.
#ifndef C360_ENRICH_BUSINESS_ID_H_
#define C360_ENRICH_BUSINESS_ID_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace c360 {

// Parses a business id as written and returns "<country>:<national id>",
// e.g. "FI:12345678", "PL:1234567890", "SE:5566778899".
//
// Finland (Y-tunnus, check digit mod 11 with weights 7,9,10,5,8,4,2):
//   "1234567-8", "12345678", the old "123456-7" (padded to "0123456-7"),
//   VAT "FI12345678".
// Poland (NIP, mod 11 with weights 6,5,7,2,3,4,5,6,7): "123-456-78-90",
//   "123-45-67-890", "1234567890", VAT "PL1234567890", "PL 123-456-78-90".
// Sweden (organisationsnummer, Luhn): "556677-8899", "5566778899", VAT
//   "SE556677889901" (the trailing "01" is dropped).
// Spaces, hyphens and dots separate digit groups.
//
// The country is decided by, in order: a VAT prefix (FI, PL, SE); the
// grouping (7-1 or 6-1 is Finnish, 6-4 Swedish, 3-3-2-2 or 3-2-2-3
// Polish); `country_hint` (ISO 3166-1 alpha-2, any case, usually the
// address country; empty when unknown) for ungrouped digits. Ids of other
// countries are accepted without a checksum when a hint or prefix names the
// country: letters and digits, upper-cased ("RU:7707083893", "GB:SC123456").
//
// Returns InvalidArgument quoting the input with the reason, e.g.
// `business id "1234567-9": Y-tunnus check digit should be 1` or
// `business id "12-34": not a Finnish, Polish or Swedish business id`.
absl::StatusOr<std::string> CanonicalBusinessId(absl::string_view text,
                                                absl::string_view country_hint);

// A company name as a comparison key (not for display): NormalizeName and
// FoldNameVariants (so Cyrillic and Latin spellings meet) with legal-form
// tokens removed wherever they stand as whole tokens: oy, oyj, ab, ky, tmi,
// ay, ltd, limited, plc, llc, inc, corp, gmbh, as, asa, sa ("S.A."), sp z
// o o ("Sp. z o.o.", "spzoo"), spolka z ograniczona odpowiedzialnoscia,
// ooo, zao, oao, pao, ao, ip. "ООО «Ромашка»", "Romashka OOO" and
// "romashka" give the same key. Tokens are joined by single spaces; ""
// when nothing but legal forms (or nothing at all) is left.
std::string NormalizeCompanyName(absl::string_view name);

// Check digits: each takes the digits before the check digit (ASCII '0'-'9'
// only, of the stated length; anything else is undefined) and returns the
// digit that completes the id, or -1 when no digit makes it valid.

// Finnish Y-tunnus: `seven_digits` weighted 7,9,10,5,8,4,2, mod 11; a
// remainder of 0 gives 0, 1 gives -1, others 11 - remainder.
// YTunnusCheckDigit("0112038") == 9 (Nokia Oyj, 0112038-9).
int YTunnusCheckDigit(absl::string_view seven_digits);

// Polish NIP: `nine_digits` weighted 6,5,7,2,3,4,5,6,7, mod 11; a remainder
// of 10 gives -1. NipCheckDigit("774000145") == 4 (PKN Orlen, 774-000-14-54).
int NipCheckDigit(absl::string_view nine_digits);

// Luhn (Swedish organisationsnummer): every second digit from the right of
// `digits` (any length) doubled, digits summed, 10 - sum mod 10, mod 10;
// never -1. LuhnCheckDigit("556012579") == 0 (AB Volvo, 556012-5790).
int LuhnCheckDigit(absl::string_view digits);

}  // namespace c360

#endif  // C360_ENRICH_BUSINESS_ID_H_
