// The provider sample generator's tables: firmographic and consumer bands,
// how providers shorten street names, and how unrelated companies are named
// in each country. Internal to provider_generator.cc and
// opportunity_generator.cc (which reads the bands back).
#ifndef C360_SERVER_PROVIDER_GENERATOR_DATA_H_
#define C360_SERVER_PROVIDER_GENERATOR_DATA_H_

#include <utility>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace c360::provider_generator_data {

// NACE codes: software, construction, road freight, energy, food, timber,
// printing, ships, wholesale, travel, dairy, retail, accounting, engineering.
inline constexpr const char* kIndustryCodes[] = {
    "62010", "62020", "41200", "49410", "35110", "10110", "16100", "18120",
    "30110", "46900", "79110", "10510", "47110", "69200", "71120"};
inline constexpr const char* kEmployeeBands[] = {"1-9", "10-49", "50-249",
                                                 "250-999", "1000+"};
// Yearly revenue in EUR.
inline constexpr const char* kRevenueBands[] = {"<1M", "1-10M", "10-50M",
                                                "50-250M", "250M+"};
inline constexpr const char* kCreditRatings[] = {"AAA", "AA", "A", "B", "C"};
// Yearly household income in EUR.
inline constexpr const char* kIncomeBands[] = {"<20k", "20-40k", "40-60k",
                                               "60-100k", "100k+"};
inline constexpr const char* kInterests[] = {
    "sports", "travel",  "cooking",  "gardening", "technology", "fashion",
    "music",  "reading", "outdoors", "motoring",  "finance",    "health"};

// By lowest age, oldest first.
inline constexpr std::pair<int, const char*> kAgeBands[] = {
    {65, "65+"},   {55, "55-64"}, {45, "45-54"},
    {35, "35-44"}, {25, "25-34"}, {0, "18-24"}};

// How providers shorten street names.
inline constexpr std::pair<absl::string_view, absl::string_view>
    kStreetRespellings[] = {
        {"katu", "k."},      {"tie ", "t. "},     {"gatan", "g."},
        {"vägen", "v."},     {"ul. ", ""},        {"al. ", "Aleja "},
        {"prospekt", "pr."}, {" Street", " St"},  {" Road", " Rd"},
        {" Lane", " Ln"},    {" Avenue", " Ave"}, {"ул. ", "улица "}};

// Names of unrelated companies: {s} a surname, {w} a line of business.
struct CompanyStyle {
  absl::string_view country;
  absl::Span<const char* const> patterns;
  absl::Span<const char* const> words;
};
inline constexpr const char* kFiPatterns[] = {"{s} {w} Oy", "{s} {w} Ky",
                                              "Tmi {s} {w}", "{w} {s} Oyj"};
inline constexpr const char* kFiWords[] = {"Consulting", "Rakennus", "Kuljetus",
                                           "Tekniikka",  "Palvelut", "Sähkö"};
inline constexpr const char* kPlPatterns[] = {
    "{s} {w} Sp. z o.o.", "{w} {s} S.A.", "{w} {s} sp. z o.o."};
inline constexpr const char* kPlWords[] = {"Budownictwo", "Transport", "Handel",
                                           "Serwis", "Consulting"};
inline constexpr const char* kSePatterns[] = {"{s} {w} AB", "{w} {s} AB"};
inline constexpr const char* kSeWords[] = {"Bygg", "Konsult", "Transport",
                                           "Handel", "Data"};
inline constexpr const char* kRuPatterns[] = {"OOO \"{s} {w}\"",
                                              "AO \"{w} {s}\""};
inline constexpr const char* kRuWords[] = {"Stroy", "Trans", "Servis", "Torg",
                                           "Tekh"};
inline constexpr const char* kGbPatterns[] = {"{s} {w} Ltd", "{s} & Sons Ltd",
                                              "{s} {w} PLC"};
inline constexpr const char* kGbWords[] = {
    "Consulting", "Builders", "Logistics", "Trading", "Engineering"};
inline constexpr CompanyStyle kCompanyStyles[] = {
    {"FI", kFiPatterns, kFiWords},
    {"PL", kPlPatterns, kPlWords},
    {"SE", kSePatterns, kSeWords},
    {"RU", kRuPatterns, kRuWords},
    {"GB", kGbPatterns, kGbWords}};

}  // namespace c360::provider_generator_data

#endif  // C360_SERVER_PROVIDER_GENERATOR_DATA_H_
