// The sample generator's tables: names, places, companies and number formats
// of Finland, Poland, Sweden, Russia and Great Britain. Internal to
// generator.cc.
//
// Conventions: '|' separates alternatives ("Dmitry|Dmitriy|Dmitrij|Dmitri";
// the first is the usual spelling). In postcode templates '#' is a digit and
// '%' a non-zero digit, '@' a letter. House-number templates use {n} for the
// house number, {l} for a staircase letter and {apt} for the apartment.
// Phone templates use {a} for the area code and '#' for the subscriber's
// digits.
#ifndef C360_SERVER_GENERATOR_DATA_H_
#define C360_SERVER_GENERATOR_DATA_H_

#include <utility>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace c360::generator_data {

enum class Sex { kMale, kFemale };

struct GivenName {
  const char* latin;
  Sex sex;
  const char* nickname = "";  // a familiar form some sources hold
  const char* cyrillic = "";
};

// The masculine (base) form; the feminine form follows the country's rule.
struct Surname {
  const char* latin;
  const char* cyrillic = "";
};

struct City {
  const char* latin;
  const char* postcodes;
  const char* area_code;  // landline area code without the trunk prefix
  int subscriber_digits;  // landline digits after the area code
  const char* cyrillic = "";
  // The digits a landline subscriber number may start with: other ranges are
  // unallocated, and libphonenumber calls such numbers invalid.
  const char* first_digits = "2345678";
};

struct Street {
  const char* latin;
  const char* cyrillic = "";
};

struct Company {
  const char* latin;
  const char* domain;
  const char* cyrillic = "";
};

// How a woman's surname derives from the base form.
enum class FemaleSurname {
  kSame,
  kPolish,   // Kowalski -> Kowalska
  kRussian,  // Ivanov -> Ivanova, Иванов -> Иванова
};

enum class BusinessIdKind {
  kYTunnus,        // FI "1234567-8", mod-11 check digit
  kNip,            // PL 10 digits, mod-11 check digit
  kOrgNummer,      // SE "556xxx-xxxx", Luhn check digit
  kInn,            // RU 10 digits, mod-11 check digit
  kCompanyNumber,  // GB 8 digits
};

struct Country {
  const char* code;
  int percent;  // share of the generated people
  const char* calling_code;
  absl::Span<const GivenName> given_names;
  absl::Span<const Surname> surnames;
  FemaleSurname female_surname;
  absl::Span<const City> cities;
  absl::Span<const Street> streets;
  const char* house_numbers;
  const char* house_numbers_cyrillic;
  const char* street_line;  // {s} street, {h} house number
  absl::Span<const char* const> mobile_prefixes;
  int mobile_digits;  // digits after the mobile prefix
  // Indexed by subscriber digits - 6 (6, 7 or 8 digits).
  const char* local_phone[3];
  const char* international_phone[3];
  absl::Span<const char* const> email_domains;
  absl::Span<const Company> companies;
  BusinessIdKind business_id;
};

// ---------------------------------------------------------------- Finland

inline constexpr GivenName kFiGiven[] = {
    {"Mikko", Sex::kMale},
    {"Juha", Sex::kMale},
    {"Timo", Sex::kMale},
    {"Matti", Sex::kMale},
    {"Kari", Sex::kMale},
    {"Antti", Sex::kMale},
    {"Jukka", Sex::kMale},
    {"Mika", Sex::kMale},
    {"Markku", Sex::kMale},
    {"Pekka", Sex::kMale},
    {"Jari", Sex::kMale},
    {"Sami", Sex::kMale},
    {"Heikki", Sex::kMale},
    {"Janne", Sex::kMale},
    {"Ville", Sex::kMale},
    {"Petri", Sex::kMale},
    {"Tuomas", Sex::kMale},
    {"Lauri", Sex::kMale},
    {"Eero", Sex::kMale},
    {"Olli", Sex::kMale},
    {"Teemu", Sex::kMale},
    {"Jyrki", Sex::kMale},
    {"Väinö", Sex::kMale},
    {"Johannes", Sex::kMale, "Juho"},
    {"Aleksanteri", Sex::kMale, "Santeri"},
    {"Anna", Sex::kFemale},
    {"Maria", Sex::kFemale},
    {"Tuula", Sex::kFemale},
    {"Päivi", Sex::kFemale},
    {"Sari", Sex::kFemale},
    {"Riitta", Sex::kFemale},
    {"Leena", Sex::kFemale},
    {"Minna", Sex::kFemale},
    {"Elina", Sex::kFemale},
    {"Laura", Sex::kFemale},
    {"Satu", Sex::kFemale},
    {"Tiina", Sex::kFemale},
    {"Sanna", Sex::kFemale},
    {"Heidi", Sex::kFemale},
    {"Aino", Sex::kFemale},
    {"Marjatta", Sex::kFemale},
    {"Pirjo", Sex::kFemale},
    {"Hanna", Sex::kFemale},
    {"Johanna", Sex::kFemale, "Jonna"},
    {"Katariina", Sex::kFemale, "Kaisa"},
    {"Elisabet", Sex::kFemale, "Liisa"},
    {"Anna-Liisa", Sex::kFemale},
};

inline constexpr Surname kFiSurnames[] = {
    {"Korhonen"},    {"Virtanen"},   {"Mäkinen"},      {"Nieminen"},
    {"Mäkelä"},      {"Hämäläinen"}, {"Laine"},        {"Heikkinen"},
    {"Koskinen"},    {"Järvinen"},   {"Lehtonen"},     {"Lehtinen"},
    {"Saarinen"},    {"Salminen"},   {"Heinonen"},     {"Niemi"},
    {"Heikkilä"},    {"Kinnunen"},   {"Salonen"},      {"Turunen"},
    {"Salo"},        {"Laitinen"},   {"Tuominen"},     {"Rantanen"},
    {"Karjalainen"}, {"Jokinen"},    {"Mattila"},      {"Savolainen"},
    {"Lahtinen"},    {"Ahonen"},     {"Jääskeläinen"}, {"Hiltunen"},
    {"Leinonen"},    {"Kallio"},     {"Miettinen"},    {"Pitkänen"},
    {"Räsänen"},     {"Lindholm"},   {"Väisänen"},     {"Hyvönen"},
};

inline constexpr City kFiCities[] = {
    {"Helsinki", "00%%0", "9", 7},   {"Espoo", "02%%0", "9", 7},
    {"Vantaa", "01%%0", "9", 7},     {"Tampere", "33%%0", "3", 7},
    {"Turku", "20%%0", "2", 7},      {"Oulu", "90%%0", "8", 7},
    {"Jyväskylä", "40%%0", "14", 6}, {"Kuopio", "70%%0", "17", 6},
    {"Lahti", "15%%0", "3", 7},
};

inline constexpr Street kFiStreets[] = {
    {"Mannerheimintie"},  {"Hämeenkatu"}, {"Aleksanterinkatu"},
    {"Kauppakatu"},       {"Koulukatu"},  {"Rantatie"},
    {"Puistokatu"},       {"Kirkkokatu"}, {"Satamakatu"},
    {"Tehtaankatu"},      {"Koivukuja"},  {"Männikkötie"},
    {"Pohjoisesplanadi"}, {"Isokatu"},    {"Yliopistonkatu"},
    {"Sibeliuksenkatu"},
};

inline constexpr const char* kFiMobile[] = {"40", "41", "44", "45", "46", "50"};

inline constexpr const char* kFiDomains[] = {"kolumbus.fi", "suomi24.fi",
                                             "luukku.com", "elisanet.fi"};

inline constexpr Company kFiCompanies[] = {
    {"Pohjolan Energia Oy", "pohjolanenergia.fi"},
    {"Suomen Konepaja Oy", "konepaja.fi"},
    {"Lapin Matkailu Oy", "lapinmatkailu.fi"},
    {"Savon Kuljetus Oy", "savonkuljetus.fi"},
    {"Tampereen Ohjelmistotalo Oy", "ohjelmistotalo.fi"},
    {"Nordic Timber Oyj", "nordictimber.fi"},
    {"Järvi-Suomen Paino Oy", "jsp.fi"},
    {"Rakennusliike Mäkelä & Co Oy", "rlmakela.fi"},
};

// ----------------------------------------------------------------- Poland

inline constexpr GivenName kPlGiven[] = {
    {"Piotr", Sex::kMale},
    {"Krzysztof", Sex::kMale, "Krzysiek"},
    {"Andrzej", Sex::kMale},
    {"Tomasz", Sex::kMale, "Tomek"},
    {"Paweł", Sex::kMale},
    {"Jan", Sex::kMale},
    {"Michał", Sex::kMale},
    {"Marcin", Sex::kMale},
    {"Jakub", Sex::kMale, "Kuba"},
    {"Adam", Sex::kMale},
    {"Łukasz", Sex::kMale},
    {"Marek", Sex::kMale},
    {"Grzegorz", Sex::kMale, "Grzesiek"},
    {"Mateusz", Sex::kMale},
    {"Wojciech", Sex::kMale, "Wojtek"},
    {"Mariusz", Sex::kMale},
    {"Dariusz", Sex::kMale},
    {"Zbigniew", Sex::kMale, "Zbyszek"},
    {"Stanisław", Sex::kMale, "Staszek"},
    {"Józef", Sex::kMale},
    {"Rafał", Sex::kMale},
    {"Bartosz", Sex::kMale, "Bartek"},
    {"Anna", Sex::kFemale, "Ania"},
    {"Katarzyna", Sex::kFemale, "Kasia"},
    {"Maria", Sex::kFemale},
    {"Małgorzata", Sex::kFemale, "Gosia"},
    {"Agnieszka", Sex::kFemale, "Aga"},
    {"Barbara", Sex::kFemale, "Basia"},
    {"Ewa", Sex::kFemale},
    {"Krystyna", Sex::kFemale},
    {"Magdalena", Sex::kFemale, "Magda"},
    {"Elżbieta", Sex::kFemale, "Ela"},
    {"Joanna", Sex::kFemale, "Asia"},
    {"Aleksandra", Sex::kFemale, "Ola"},
    {"Monika", Sex::kFemale},
    {"Zofia", Sex::kFemale, "Zosia"},
    {"Teresa", Sex::kFemale},
    {"Danuta", Sex::kFemale},
    {"Natalia", Sex::kFemale},
    {"Karolina", Sex::kFemale},
    {"Dorota", Sex::kFemale},
    {"Jadwiga", Sex::kFemale},
};

inline constexpr Surname kPlSurnames[] = {
    {"Nowak"},     {"Kowalski"},  {"Wiśniewski"},    {"Wójcik"},
    {"Kowalczyk"}, {"Kamiński"},  {"Lewandowski"},   {"Zieliński"},
    {"Szymański"}, {"Woźniak"},   {"Dąbrowski"},     {"Kozłowski"},
    {"Jankowski"}, {"Mazur"},     {"Wojciechowski"}, {"Kwiatkowski"},
    {"Krawczyk"},  {"Kaczmarek"}, {"Piotrowski"},    {"Grabowski"},
    {"Zając"},     {"Pawłowski"}, {"Michalski"},     {"Król"},
    {"Wieczorek"}, {"Jabłoński"}, {"Wróbel"},        {"Nowakowski"},
    {"Majewski"},  {"Olszewski"}, {"Stępień"},       {"Malinowski"},
    {"Jaworski"},  {"Adamczyk"},  {"Dudek"},         {"Nowicki"},
    {"Pawlak"},    {"Górski"},    {"Witkowski"},     {"Walczak"},
};

inline constexpr City kPlCities[] = {
    {"Warszawa", "0%-###", "22", 7}, {"Kraków", "3%-###", "12", 7},
    {"Łódź", "9%-###", "42", 7},     {"Wrocław", "5%-###", "71", 7},
    {"Poznań", "6%-###", "61", 7},   {"Gdańsk", "80-###", "58", 7},
    {"Szczecin", "7%-###", "91", 7}, {"Lublin", "20-###", "81", 7},
    {"Katowice", "40-###", "32", 7}, {"Bydgoszcz", "85-###", "52", 7},
};

inline constexpr Street kPlStreets[] = {
    {"ul. Marszałkowska"}, {"ul. Piotrkowska"}, {"ul. Długa"},
    {"ul. Floriańska"},    {"ul. Mickiewicza"}, {"ul. Słowackiego"},
    {"ul. Kościuszki"},    {"ul. Lipowa"},      {"ul. Polna"},
    {"ul. Leśna"},         {"ul. Ogrodowa"},    {"al. Jerozolimskie"},
    {"al. Jana Pawła II"}, {"ul. Grunwaldzka"}, {"ul. Żeromskiego"},
};

inline constexpr const char* kPlMobile[] = {
    "501", "502", "505", "509", "512", "531", "533", "600", "601",
    "660", "691", "693", "721", "730", "781", "790", "880", "886"};

inline constexpr const char* kPlDomains[] = {"wp.pl", "onet.pl", "o2.pl",
                                             "interia.pl"};

inline constexpr Company kPlCompanies[] = {
    {"Mazowieckie Okna Sp. z o.o.", "mazowieckieokna.pl"},
    {"Polbud S.A.", "polbud.pl"},
    {"Transport-Kraków Sp. z o.o.", "transportkrakow.pl"},
    {"Zakłady Mięsne \"Wierzbowski\" Sp. z o.o.", "zmwierzbowski.pl"},
    {"Softbit Sp. z o.o.", "softbit.pl"},
    {"Przedsiębiorstwo Handlowe Lech", "phlech.pl"},
    {"Gdańska Stocznia Jachtowa S.A.", "gsj.pl"},
};

// ----------------------------------------------------------------- Sweden

inline constexpr GivenName kSeGiven[] = {
    {"Lars", Sex::kMale},
    {"Anders", Sex::kMale},
    {"Johan", Sex::kMale},
    {"Per", Sex::kMale},
    {"Erik", Sex::kMale},
    {"Karl", Sex::kMale, "Kalle"},
    {"Peter", Sex::kMale},
    {"Jan", Sex::kMale},
    {"Thomas", Sex::kMale},
    {"Daniel", Sex::kMale},
    {"Fredrik", Sex::kMale, "Fredde"},
    {"Hans", Sex::kMale},
    {"Bengt", Sex::kMale},
    {"Mikael", Sex::kMale, "Micke"},
    {"Magnus", Sex::kMale},
    {"Stefan", Sex::kMale},
    {"Björn", Sex::kMale},
    {"Oskar", Sex::kMale},
    {"Gustav", Sex::kMale},
    {"Nils", Sex::kMale},
    {"Sven", Sex::kMale},
    {"Olof", Sex::kMale, "Olle"},
    {"Anna", Sex::kFemale},
    {"Eva", Sex::kFemale},
    {"Maria", Sex::kFemale},
    {"Karin", Sex::kFemale},
    {"Kristina", Sex::kFemale, "Stina"},
    {"Lena", Sex::kFemale},
    {"Sara", Sex::kFemale},
    {"Emma", Sex::kFemale},
    {"Kerstin", Sex::kFemale},
    {"Ingrid", Sex::kFemale},
    {"Elisabeth", Sex::kFemale, "Lisa"},
    {"Birgitta", Sex::kFemale, "Gittan"},
    {"Margareta", Sex::kFemale, "Maggan"},
    {"Malin", Sex::kFemale},
    {"Linnea", Sex::kFemale},
    {"Åsa", Sex::kFemale},
    {"Ulla", Sex::kFemale},
    {"Helena", Sex::kFemale},
    {"Annika", Sex::kFemale},
    {"Ebba", Sex::kFemale},
};

inline constexpr Surname kSeSurnames[] = {
    {"Andersson"},   {"Johansson"},  {"Karlsson"},   {"Nilsson"},
    {"Eriksson"},    {"Larsson"},    {"Olsson"},     {"Persson"},
    {"Svensson"},    {"Gustafsson"}, {"Pettersson"}, {"Jonsson"},
    {"Jansson"},     {"Hansson"},    {"Bengtsson"},  {"Jönsson"},
    {"Lindberg"},    {"Jakobsson"},  {"Magnusson"},  {"Olofsson"},
    {"Lindström"},   {"Lindqvist"},  {"Lindgren"},   {"Berg"},
    {"Axelsson"},    {"Bergström"},  {"Lundberg"},   {"Lind"},
    {"Lundgren"},    {"Lundqvist"},  {"Mattsson"},   {"Berglund"},
    {"Fredriksson"}, {"Sandberg"},   {"Henriksson"}, {"Forsberg"},
    {"Sjöberg"},     {"Wallin"},     {"Engström"},   {"Åberg"},
};

inline constexpr City kSeCities[] = {
    {"Stockholm", "1%# ##", "8", 7},  {"Göteborg", "41% ##", "31", 7},
    {"Malmö", "21% ##", "40", 6},     {"Uppsala", "75% ##", "18", 6},
    {"Västerås", "72% ##", "21", 6},  {"Örebro", "70% ##", "19", 6},
    {"Linköping", "58% ##", "13", 6}, {"Helsingborg", "25% ##", "42", 6},
    {"Jönköping", "55% ##", "36", 6},
};

inline constexpr Street kSeStreets[] = {
    {"Drottninggatan"},  {"Storgatan"},           {"Kungsgatan"},
    {"Vasagatan"},       {"Sveavägen"},           {"Götgatan"},
    {"Östra Hamngatan"}, {"Skolgatan"},           {"Kyrkogatan"},
    {"Järnvägsgatan"},   {"Södra Förstadsgatan"}, {"Björkvägen"},
    {"Tallvägen"},       {"Ringvägen"},
};

inline constexpr const char* kSeMobile[] = {"70", "72", "73", "76", "79"};

inline constexpr const char* kSeDomains[] = {"telia.com", "hotmail.se",
                                             "bredband.net", "spray.se"};

inline constexpr Company kSeCompanies[] = {
    {"Nordström Bygg AB", "nordstrombygg.se"},
    {"Svensk Logistik AB", "svensklogistik.se"},
    {"Göta Energi AB", "gotaenergi.se"},
    {"Norrlands Trä AB", "norrlandstra.se"},
    {"Mälardalens Data AB", "malardata.se"},
    {"Skånska Mejerier AB", "skanskamejerier.se"},
};

// ----------------------------------------------------------------- Russia

inline constexpr GivenName kRuGiven[] = {
    {"Aleksandr|Alexander|Alexandr", Sex::kMale, "Sasha", "Александр"},
    {"Dmitry|Dmitriy|Dmitrij|Dmitri", Sex::kMale, "Dima", "Дмитрий"},
    {"Sergey|Sergei|Sergej", Sex::kMale, "Seryozha", "Сергей"},
    {"Andrey|Andrei|Andrej", Sex::kMale, "Andryusha", "Андрей"},
    {"Aleksey|Alexey|Aleksei|Alexei", Sex::kMale, "Lyosha", "Алексей"},
    {"Mikhail|Mihail|Michail", Sex::kMale, "Misha", "Михаил"},
    {"Ivan", Sex::kMale, "Vanya", "Иван"},
    {"Nikolay|Nikolai|Nikolaj", Sex::kMale, "Kolya", "Николай"},
    {"Evgeny|Evgeniy|Yevgeny|Jevgenij", Sex::kMale, "Zhenya", "Евгений"},
    {"Vladimir", Sex::kMale, "Volodya", "Владимир"},
    {"Pavel", Sex::kMale, "Pasha", "Павел"},
    {"Maksim|Maxim", Sex::kMale, "Max", "Максим"},
    {"Yury|Yuri|Yuriy|Jurij|Iurii", Sex::kMale, "Yura", "Юрий"},
    {"Oleg", Sex::kMale, "", "Олег"},
    {"Igor", Sex::kMale, "", "Игорь"},
    {"Yulia|Julia|Iuliia|Yuliya", Sex::kFemale, "Yulya", "Юлия"},
    {"Elena|Yelena|Jelena", Sex::kFemale, "Lena", "Елена"},
    {"Olga", Sex::kFemale, "Olya", "Ольга"},
    {"Natalya|Natalia|Natalja", Sex::kFemale, "Natasha", "Наталья"},
    {"Anna", Sex::kFemale, "Anya", "Анна"},
    {"Mariya|Maria", Sex::kFemale, "Masha", "Мария"},
    {"Tatyana|Tatiana|Tatjana", Sex::kFemale, "Tanya", "Татьяна"},
    {"Ekaterina|Yekaterina|Jekaterina", Sex::kFemale, "Katya", "Екатерина"},
    {"Irina", Sex::kFemale, "Ira", "Ирина"},
    {"Svetlana", Sex::kFemale, "Sveta", "Светлана"},
    {"Anastasia|Anastasiya|Anastasija", Sex::kFemale, "Nastya", "Анастасия"},
    {"Kseniya|Ksenia|Xenia", Sex::kFemale, "Ksyusha", "Ксения"},
    {"Darya|Daria|Darja", Sex::kFemale, "Dasha", "Дарья"},
};

inline constexpr Surname kRuSurnames[] = {
    {"Ivanov", "Иванов"},
    {"Smirnov", "Смирнов"},
    {"Kuznetsov|Kuznecov|Kusnezow", "Кузнецов"},
    {"Popov", "Попов"},
    {"Vasilyev|Vasiliev|Vasilev", "Васильев"},
    {"Petrov", "Петров"},
    {"Sokolov", "Соколов"},
    {"Mikhaylov|Mikhailov|Mihajlov", "Михайлов"},
    {"Novikov", "Новиков"},
    {"Fedorov|Fyodorov|Fjodorov", "Фёдоров"},
    {"Morozov", "Морозов"},
    {"Volkov", "Волков"},
    {"Alekseev|Alekseyev|Alexeev", "Алексеев"},
    {"Lebedev", "Лебедев"},
    {"Semenov|Semyonov|Semjonov", "Семёнов"},
    {"Egorov|Yegorov|Jegorov", "Егоров"},
    {"Pavlov", "Павлов"},
    {"Kozlov", "Козлов"},
    {"Stepanov", "Степанов"},
    {"Nikolaev|Nikolayev", "Николаев"},
    {"Orlov", "Орлов"},
    {"Andreev|Andreyev", "Андреев"},
    {"Makarov", "Макаров"},
    {"Nikitin", "Никитин"},
    {"Zakharov|Zaharov", "Захаров"},
    {"Zaytsev|Zaitsev|Zajcev", "Зайцев"},
    {"Solovyov|Soloviev|Solovjov", "Соловьёв"},
    {"Borisov", "Борисов"},
    {"Yakovlev|Jakovlev|Iakovlev", "Яковлев"},
    {"Grigoryev|Grigoriev", "Григорьев"},
    {"Romanov", "Романов"},
    {"Vorobyov|Vorobiev", "Воробьёв"},
    {"Sergeev|Sergeyev", "Сергеев"},
    {"Kuzmin", "Кузьмин"},
    {"Frolov", "Фролов"},
    {"Aleksandrov|Alexandrov", "Александров"},
    {"Dmitriev|Dmitriyev", "Дмитриев"},
    {"Korolev|Korolyov", "Королёв"},
    {"Gusev", "Гусев"},
    {"Kiselev|Kiselyov", "Киселёв"},
};

inline constexpr City kRuCities[] = {
    {"Moscow|Moskva", "1%####", "495", 7, "Москва"},
    {"Saint Petersburg|Sankt-Peterburg|St. Petersburg", "19####", "812", 7,
     "Санкт-Петербург"},
    {"Novosibirsk", "630###", "383", 7, "Новосибирск"},
    {"Yekaterinburg|Ekaterinburg", "620###", "343", 7, "Екатеринбург"},
    {"Kazan", "420###", "843", 7, "Казань"},
    {"Nizhny Novgorod|Nizhniy Novgorod", "603###", "831", 7, "Нижний Новгород"},
    {"Samara", "443###", "846", 7, "Самара"},
    {"Rostov-on-Don|Rostov-na-Donu", "344###", "863", 7, "Ростов-на-Дону"},
};

inline constexpr Street kRuStreets[] = {
    {"ul. Tverskaya", "ул. Тверская"},
    {"ul. Lenina", "ул. Ленина"},
    {"Nevsky prospekt", "Невский проспект"},
    {"ul. Gagarina", "ул. Гагарина"},
    {"Leninsky prospekt", "Ленинский проспект"},
    {"ul. Pushkina", "ул. Пушкина"},
    {"ul. Sadovaya", "ул. Садовая"},
    {"prospekt Mira", "проспект Мира"},
    {"ul. Sovetskaya", "ул. Советская"},
    {"ul. Lesnaya", "ул. Лесная"},
    {"ul. Molodezhnaya", "ул. Молодёжная"},
    {"Kutuzovsky prospekt", "Кутузовский проспект"},
};

inline constexpr const char* kRuMobile[] = {"903", "905", "915", "916",
                                            "925", "926", "985", "911",
                                            "921", "950", "960", "999"};

inline constexpr const char* kRuDomains[] = {"yandex.ru", "mail.ru",
                                             "rambler.ru", "bk.ru"};

inline constexpr Company kRuCompanies[] = {
    {"OOO \"Romashka\"", "romashka.ru", "ООО «Ромашка»"},
    {"AO \"Severny Veter\"", "sevveter.ru", "АО «Северный Ветер»"},
    {"OOO \"TekhnoSfera\"", "tekhnosfera.ru", "ООО «ТехноСфера»"},
    {"PAO \"Uralskie Mashiny\"", "uralmashiny.ru", "ПАО «Уральские Машины»"},
    {"OOO \"Volga Logistik\"", "volgalog.ru", "ООО «Волга Логистик»"},
};

// ---------------------------------------------------------- Great Britain

inline constexpr GivenName kGbGiven[] = {
    {"James", Sex::kMale, "Jim"},
    {"John", Sex::kMale, "Jack"},
    {"Robert", Sex::kMale, "Bob"},
    {"Michael", Sex::kMale, "Mike"},
    {"William", Sex::kMale, "Bill"},
    {"David", Sex::kMale, "Dave"},
    {"Richard", Sex::kMale, "Rick"},
    {"Joseph", Sex::kMale, "Joe"},
    {"Thomas", Sex::kMale, "Tom"},
    {"Charles", Sex::kMale, "Charlie"},
    {"Christopher", Sex::kMale, "Chris"},
    {"Daniel", Sex::kMale, "Dan"},
    {"Matthew", Sex::kMale, "Matt"},
    {"Anthony", Sex::kMale, "Tony"},
    {"Andrew", Sex::kMale, "Andy"},
    {"Edward", Sex::kMale, "Ted"},
    {"Mark", Sex::kMale},
    {"Paul", Sex::kMale},
    {"George", Sex::kMale},
    {"Oliver", Sex::kMale, "Ollie"},
    {"Harry", Sex::kMale},
    {"Mary", Sex::kFemale},
    {"Elizabeth", Sex::kFemale, "Liz"},
    {"Sarah", Sex::kFemale},
    {"Emma", Sex::kFemale},
    {"Olivia", Sex::kFemale, "Liv"},
    {"Sophie", Sex::kFemale},
    {"Jessica", Sex::kFemale, "Jess"},
    {"Charlotte", Sex::kFemale, "Lottie"},
    {"Emily", Sex::kFemale},
    {"Margaret", Sex::kFemale, "Maggie"},
    {"Susan", Sex::kFemale, "Sue"},
    {"Helen", Sex::kFemale},
    {"Rebecca", Sex::kFemale, "Becky"},
    {"Victoria", Sex::kFemale, "Vicky"},
    {"Katherine", Sex::kFemale, "Kate"},
    {"Jennifer", Sex::kFemale, "Jenny"},
    {"Lucy", Sex::kFemale},
    {"Hannah", Sex::kFemale},
    {"Claire", Sex::kFemale},
    {"Alice", Sex::kFemale},
};

inline constexpr Surname kGbSurnames[] = {
    {"Smith"},      {"Jones"},          {"Williams"}, {"Taylor"},  {"Brown"},
    {"Davies"},     {"Evans"},          {"Wilson"},   {"Thomas"},  {"Johnson"},
    {"Roberts"},    {"Robinson"},       {"Thompson"}, {"Wright"},  {"Walker"},
    {"White"},      {"Edwards"},        {"Hughes"},   {"Green"},   {"Hall"},
    {"Lewis"},      {"Harris"},         {"Clarke"},   {"Patel"},   {"Jackson"},
    {"Wood"},       {"Turner"},         {"Martin"},   {"Cooper"},  {"Hill"},
    {"Ward"},       {"Morris"},         {"Moore"},    {"Clark"},   {"King"},
    {"Baker"},      {"Harrison"},       {"Morgan"},   {"O'Brien"}, {"Murphy"},
    {"Fitzgerald"}, {"Ashworth-Jones"},
};

inline constexpr City kGbCities[] = {
    {"London", "SW% %@@|SE1# #@@|N% %@@|E1# #@@|NW% %@@|W1@ %@@|SW1A %@@", "20",
     8, "", "378"},
    {"Manchester", "M% %@@|M1% %@@", "161", 7},
    {"Birmingham", "B% %@@|B1% %@@", "121", 7, "", "234567"},
    {"Leeds", "LS% %@@|LS1% %@@", "113", 7, "", "23458"},
    {"Edinburgh", "EH% %@@|EH1% %@@", "131", 7},
    {"Bristol", "BS% %@@|BS1% %@@", "117", 7, "", "2349"},
    {"Glasgow", "G% %@@|G1% %@@", "141", 7},
    {"Liverpool", "L% %@@|L1% %@@", "151", 7},
};

inline constexpr Street kGbStreets[] = {
    {"High Street"}, {"Station Road"}, {"Church Lane"}, {"Victoria Road"},
    {"Park Road"},   {"Queen's Road"}, {"Mill Lane"},   {"London Road"},
    {"Manor Road"},  {"King Street"},  {"The Green"},   {"Albert Avenue"},
};

inline constexpr const char* kGbMobile[] = {"7400", "7456", "7500", "7520",
                                            "7747", "7711", "7721", "7801",
                                            "7812", "7900", "7956", "7970"};

inline constexpr const char* kGbDomains[] = {"btinternet.com", "sky.com",
                                             "hotmail.co.uk", "yahoo.co.uk"};

inline constexpr Company kGbCompanies[] = {
    {"Thames Valley Engineering Ltd", "tvengineering.co.uk"},
    {"Northern Star Logistics Ltd", "northernstar.co.uk"},
    {"Albion Software plc", "albionsoftware.co.uk"},
    {"Pennine Foods Ltd", "penninefoods.co.uk"},
    {"Castle & Crown Insurance Ltd", "castlecrown.co.uk"},
    {"Brighton Digital Ltd", "brightondigital.co.uk"},
};

// --------------------------------------------------------------- Countries

inline constexpr Country kCountries[] = {
    {"FI",
     30,
     "358",
     kFiGiven,
     kFiSurnames,
     FemaleSurname::kSame,
     kFiCities,
     kFiStreets,
     "{n}|{n}|{n} {l} {apt}",
     "",
     "{s} {h}",
     kFiMobile,
     7,
     {"0{a} ######", "0{a} ### ####", "0{a} #### ####"},
     {"+358 {a} ######", "+358 {a} #######", "+358 {a} ########"},
     kFiDomains,
     kFiCompanies,
     BusinessIdKind::kYTunnus},
    {"PL",
     25,
     "48",
     kPlGiven,
     kPlSurnames,
     FemaleSurname::kPolish,
     kPlCities,
     kPlStreets,
     "{n}|{n}/{apt}|{n} m. {apt}",
     "",
     "{s} {h}",
     kPlMobile,
     6,
     {"{a} ### ###", "{a} ### ## ##", "{a} #### ####"},
     {"+48 {a} ### ###", "+48 {a} ### ## ##", "+48 {a} #### ####"},
     kPlDomains,
     kPlCompanies,
     BusinessIdKind::kNip},
    {"SE",
     20,
     "46",
     kSeGiven,
     kSeSurnames,
     FemaleSurname::kSame,
     kSeCities,
     kSeStreets,
     "{n}|{n}|{n}{l}",
     "",
     "{s} {h}",
     kSeMobile,
     7,
     {"0{a}-## ## ##", "0{a}-### ## ##", "0{a}-### ### ##"},
     {"+46 {a} ## ## ##", "+46 {a} ### ## ##", "+46 {a} ### ### ##"},
     kSeDomains,
     kSeCompanies,
     BusinessIdKind::kOrgNummer},
    {"RU",
     15,
     "7",
     kRuGiven,
     kRuSurnames,
     FemaleSurname::kRussian,
     kRuCities,
     kRuStreets,
     "d. {n}, kv. {apt}",
     "д. {n}, кв. {apt}",
     "{s}, {h}",
     kRuMobile,
     7,
     {"8 ({a}) ##-##-##", "8 ({a}) ###-##-##", "8 ({a}) ####-##-##"},
     {"+7 {a} ##-##-##", "+7 {a} ###-##-##", "+7 {a} ####-##-##"},
     kRuDomains,
     kRuCompanies,
     BusinessIdKind::kInn},
    {"GB",
     10,
     "44",
     kGbGiven,
     kGbSurnames,
     FemaleSurname::kSame,
     kGbCities,
     kGbStreets,
     "{n}|{n}|Flat {apt}, {n}",
     "",
     "{h} {s}",
     kGbMobile,
     6,
     {"0{a} ######", "0{a} ### ####", "0{a} #### ####"},
     {"+44 {a} ######", "+44 {a} ### ####", "+44 {a} #### ####"},
     kGbDomains,
     kGbCompanies,
     BusinessIdKind::kCompanyNumber},
};

// Providers people everywhere use.
inline constexpr const char* kGlobalDomains[] = {"gmail.com",   "gmail.com",
                                                 "gmail.com",   "outlook.com",
                                                 "hotmail.com", "yahoo.com"};

// What ASCII-only systems make of the letters above.
inline constexpr std::pair<absl::string_view, absl::string_view>
    kDiacriticFolds[] = {
        {"ä", "a"}, {"Ä", "A"}, {"ö", "o"}, {"Ö", "O"}, {"å", "a"},
        {"Å", "A"}, {"ą", "a"}, {"ć", "c"}, {"ę", "e"}, {"ł", "l"},
        {"Ł", "L"}, {"ń", "n"}, {"ó", "o"}, {"Ó", "O"}, {"ś", "s"},
        {"Ś", "S"}, {"ź", "z"}, {"Ź", "Z"}, {"ż", "z"}, {"Ż", "Z"},
};

// Lower-case Cyrillic letters, for typos in Cyrillic names.
inline constexpr const char* kCyrillicLetters[] = {
    "а", "б", "в", "г", "д", "е", "ж", "з", "и", "й", "к", "л", "м", "н", "о",
    "п", "р", "с", "т", "у", "ф", "х", "ц", "ч", "ш", "щ", "ы", "э", "ю", "я"};

inline constexpr const char* kLeadSources[] = {
    "Web",        "Phone Inquiry",  "Partner Referral",
    "Trade Show", "Purchased List", "Other"};

}  // namespace c360::generator_data

#endif  // C360_SERVER_GENERATOR_DATA_H_
