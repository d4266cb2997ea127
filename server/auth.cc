#include "server/auth.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/support/client_interceptor.h"

namespace c360 {
namespace {

constexpr char kAuthorization[] = "authorization";
constexpr char kBearer[] = "Bearer ";
constexpr size_t kSecretBytes = 32;
constexpr size_t kMaxNameLength = 64;
constexpr char kFileHeader[] =
    "# c360 tokens: NAME<TAB>SHA256_HEX<TAB>ROLE[,ROLE...], one per line.\n"
    "# Only hashes are kept here. Add one: c360 token add --file FILE "
    "--name NAME --roles ROLES\n";

// The role each service needs ("" = open to all): the one table.
struct ServiceRole {
  absl::string_view service;
  absl::string_view role;
};
constexpr ServiceRole kServiceRoles[] = {
    {"grpc.health.v1.Health", ""},
    {"grpc.reflection.v1alpha.ServerReflection", ""},
    {"grpc.reflection.v1.ServerReflection", ""},
    {"c360.ProfileService", "crm"},
    {"c360.IngestService", "ingest"},
    {"c360.StewardService", "steward"},
    {"c360.SegmentService", "segment"},
    {"c360.ScoringService", "scoring"},
    {"c360.AdminService", kAdminRole},
};

bool IsKnownRole(absl::string_view role) {
  if (role.empty()) return false;
  for (const ServiceRole& entry : kServiceRoles) {
    if (entry.role == role) return true;
  }
  return false;
}

// "crm, ingest, ...": the roles of the table.
std::string KnownRoles() {
  std::vector<absl::string_view> roles;
  for (const ServiceRole& entry : kServiceRoles) {
    if (!entry.role.empty()) roles.push_back(entry.role);
  }
  return absl::StrJoin(roles, ", ");
}

bool IsNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '-';
}

absl::Status CheckEntry(const TokenEntry& entry) {
  if (entry.name.empty() || entry.name.size() > kMaxNameLength ||
      !std::all_of(entry.name.begin(), entry.name.end(), IsNameChar)) {
    return absl::InvalidArgumentError(
        absl::StrCat("name '", entry.name, "' must be 1-", kMaxNameLength,
                     " of A-Z a-z 0-9 _ -"));
  }
  if (entry.sha256_hex.size() != 64 ||
      entry.sha256_hex.find_first_not_of("0123456789abcdef") !=
          std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "hash of '", entry.name, "' must be 64 lowercase hex digits"));
  }
  if (entry.roles.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", entry.name, "' has no roles"));
  }
  for (const std::string& role : entry.roles) {
    if (!IsKnownRole(role)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown role '", role, "' (roles: ", KnownRoles(), ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<TokenEntry> ParseLine(absl::string_view line) {
  std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
  if (fields.size() != 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected NAME<TAB>SHA256_HEX<TAB>ROLES, found ",
                     fields.size(), " field(s)"));
  }
  return TokenEntry{std::string(fields[0]), std::string(fields[1]),
                    absl::StrSplit(fields[2], ',')};
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The file's text, "" when there is no file.
absl::StatusOr<std::string> ReadFileIfAny(const std::string& path) {
  if (!std::filesystem::exists(path)) return std::string();
  return ReadFile(path);
}

// The token of an "authorization" header value, "" when it is not a bearer
// token.
absl::string_view BearerToken(absl::string_view header) {
  if (!absl::StartsWithIgnoreCase(header, kBearer)) return "";
  return absl::StripAsciiWhitespace(header.substr(std::strlen(kBearer)));
}

bool HasRole(const TokenEntry& entry, absl::string_view role) {
  for (const std::string& held : entry.roles) {
    if (held == role || held == kAdminRole) return true;
  }
  return false;
}

absl::StatusOr<std::string> NewToken(absl::string_view name) {
  unsigned char secret[kSecretBytes];
  if (RAND_bytes(secret, sizeof(secret)) != 1) {
    return absl::InternalError("no random bytes for a token");
  }
  return absl::StrCat(
      name, ".",
      absl::BytesToHexString(absl::string_view(
          reinterpret_cast<const char*>(secret), sizeof(secret))));
}

absl::Status AppendToFile(const std::string& path, absl::string_view text) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  bool written = fd >= 0 && write(fd, text.data(), text.size()) ==
                                static_cast<ssize_t>(text.size());
  int error = errno;
  if (fd >= 0 && close(fd) != 0) written = false;
  if (written) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("cannot write ", path, ": ", std::strerror(error)));
}

std::vector<absl::string_view> Values(
    const grpc::AuthMetadataProcessor::InputMetadata& metadata,
    absl::string_view key) {
  std::vector<absl::string_view> values;
  auto [begin, end] =
      metadata.equal_range(grpc::string_ref(key.data(), key.size()));
  for (auto it = begin; it != end; ++it) {
    values.emplace_back(it->second.data(), it->second.size());
  }
  return values;
}

// Checks every call with AuthorizeCall and removes the "authorization"
// headers it did not verify, so that CallerActor can trust those left.
class TokenChecker final : public grpc::AuthMetadataProcessor {
 public:
  explicit TokenChecker(std::optional<TokenTable> tokens)
      : tokens_(std::move(tokens)) {}

  // One hash and one lookup: cheap enough for the transport's thread.
  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& metadata, grpc::AuthContext*,
                       OutputMetadata* consumed, OutputMetadata*) override {
    std::vector<absl::string_view> path = Values(metadata, ":path");
    std::vector<absl::string_view> authorization =
        Values(metadata, kAuthorization);
    absl::StatusOr<const TokenEntry*> caller =
        AuthorizeCall(tokens_ ? &*tokens_ : nullptr,
                      path.empty() ? "" : path.front(), authorization);
    if (!caller.ok()) {
      return grpc::Status(static_cast<grpc::StatusCode>(caller.status().code()),
                          std::string(caller.status().message()));
    }
    if (*caller == nullptr) {
      for (absl::string_view value : authorization) {
        consumed->emplace(kAuthorization, std::string(value));
      }
    }
    return grpc::Status::OK;
  }

 private:
  const std::optional<TokenTable> tokens_;
};

bool IsLoopback(const std::string& listen) {
  std::string host = listen.substr(0, listen.rfind(':'));
  return host == "127.0.0.1" || host == "[::1]" || host == "localhost";
}

absl::Status CheckExposure(const std::string& listen,
                           const ServerSecurity& security) {
  if (IsLoopback(listen)) return absl::OkStatus();
  if (security.tokens_file.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to serve ", listen, " without authentication: only ",
        "loopback (127.0.0.1, [::1], localhost) may go without; pass ",
        "--auth-tokens FILE and TLS (--tls-cert, --tls-key) to listen there"));
  }
  if (security.tls_cert_file.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to take bearer tokens in clear text on ", listen,
        ": pass --tls-cert and --tls-key (only loopback may go without TLS)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<TokenTable>> LoadTokens(const std::string& path) {
  if (path.empty()) return std::nullopt;
  absl::StatusOr<TokenTable> tokens = TokenTable::Load(path);
  if (!tokens.ok()) return tokens.status();
  if (tokens->entries().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " holds no tokens; add one with c360 token add"));
  }
  return std::optional<TokenTable>(*std::move(tokens));
}

absl::StatusOr<grpc::SslServerCredentialsOptions::PemKeyCertPair>
ReadKeyCertPair(const std::string& cert_file, const std::string& key_file) {
  absl::StatusOr<std::string> cert = ReadFile(cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadFile(key_file);
  if (!key.ok()) return key.status();
  return grpc::SslServerCredentialsOptions::PemKeyCertPair{*key, *cert};
}

// TLS from the files, or plaintext limited to local peers.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TransportCredentials(
    const ServerSecurity& security) {
  if (security.tls_cert_file.empty() != security.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "TLS needs both a certificate (--tls-cert) and its key (--tls-key)");
  }
  if (security.tls_cert_file.empty()) {
    if (!security.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "client certificates (--tls-client-ca) need TLS (--tls-cert, "
          "--tls-key)");
    }
    return grpc::experimental::LocalServerCredentials(LOCAL_TCP);
  }
  grpc::SslServerCredentialsOptions options(
      security.tls_client_ca_file.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  auto pair = ReadKeyCertPair(security.tls_cert_file, security.tls_key_file);
  if (!pair.ok()) return pair.status();
  options.pem_key_cert_pairs.push_back(*pair);
  if (!security.tls_client_ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadFile(security.tls_client_ca_file);
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
  }
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    const ClientSecurity& security) {
  if (security.tls_cert_file.empty() != security.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "a client certificate (--tls-cert) needs its key (--tls-key)");
  }
  if (security.tls_ca_file.empty()) {
    if (!security.tls_cert_file.empty()) {
      return absl::InvalidArgumentError(
          "a client certificate needs TLS: give the server's CA (--tls-ca)");
    }
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions options;
  absl::StatusOr<std::string> ca = ReadFile(security.tls_ca_file);
  if (!ca.ok()) return ca.status();
  options.pem_root_certs = *ca;
  if (!security.tls_cert_file.empty()) {
    auto pair = ReadKeyCertPair(security.tls_cert_file, security.tls_key_file);
    if (!pair.ok()) return pair.status();
    options.pem_cert_chain = pair->cert_chain;
    options.pem_private_key = pair->private_key;
  }
  return grpc::SslCredentials(options);
}

// Sends "authorization: Bearer TOKEN" with every call.
class BearerInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit BearerInterceptor(std::string header) : header_(std::move(header)) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::
                PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace(kAuthorization, header_);
    }
    methods->Proceed();
  }

 private:
  const std::string header_;
};

class BearerInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerInterceptorFactory(absl::string_view token)
      : header_(absl::StrCat(kBearer, token)) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new BearerInterceptor(header_);
  }

 private:
  const std::string header_;
};

}  // namespace

std::string RequiredRole(absl::string_view method) {
  absl::string_view service = absl::StripPrefix(method, "/");
  service = service.substr(0, service.find('/'));
  for (const ServiceRole& entry : kServiceRoles) {
    if (entry.service == service) return std::string(entry.role);
  }
  return kAdminRole;
}

absl::StatusOr<TokenTable> TokenTable::Parse(absl::string_view text,
                                             absl::string_view origin) {
  TokenTable table;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty() || absl::StripLeadingAsciiWhitespace(line)[0] == '#') {
      continue;
    }
    absl::StatusOr<TokenEntry> entry = ParseLine(line);
    absl::Status added =
        entry.ok() ? table.Add(*std::move(entry)) : entry.status();
    if (!added.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ":", line_number, ": ", added.message()));
    }
  }
  return table;
}

absl::StatusOr<TokenTable> TokenTable::Load(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

absl::Status TokenTable::Add(TokenEntry entry) {
  if (absl::Status valid = CheckEntry(entry); !valid.ok()) return valid;
  if (by_name_.contains(entry.name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("name '", entry.name, "' is taken"));
  }
  if (auto same = by_hash_.find(entry.sha256_hex); same != by_hash_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", entry.name, "' has the hash of '",
                     entries_[same->second].name, "'"));
  }
  by_name_[entry.name] = entries_.size();
  by_hash_[entry.sha256_hex] = entries_.size();
  entries_.push_back(std::move(entry));
  return absl::OkStatus();
}

const TokenEntry* TokenTable::Find(absl::string_view token) const {
  auto it = by_hash_.find(Sha256Hex(token));
  if (it == by_hash_.end()) return nullptr;
  const TokenEntry& entry = entries_[it->second];
  return token.substr(0, token.find('.')) == entry.name ? &entry : nullptr;
}

absl::StatusOr<const TokenEntry*> AuthorizeCall(
    const TokenTable* tokens, absl::string_view method,
    const std::vector<absl::string_view>& authorization) {
  std::string role = RequiredRole(method);
  if (tokens == nullptr || role.empty()) return nullptr;
  if (authorization.empty()) {
    return absl::UnauthenticatedError(absl::StrCat(
        method, " needs a bearer token with role ", role,
        " (header 'authorization: Bearer TOKEN'; c360 clients take --token "
        "or $C360_TOKEN)"));
  }
  if (authorization.size() > 1) {
    return absl::UnauthenticatedError("more than one authorization header");
  }
  absl::string_view token = BearerToken(authorization.front());
  if (token.empty()) {
    return absl::UnauthenticatedError(
        "the authorization header is not 'Bearer TOKEN'");
  }
  const TokenEntry* entry = tokens->Find(token);
  if (entry == nullptr) {
    return absl::UnauthenticatedError("unknown bearer token");
  }
  if (!HasRole(*entry, role)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "token '", entry->name, "' (roles ", absl::StrJoin(entry->roles, ","),
        ") may not call ", method, ": it needs role ", role));
  }
  return entry;
}

absl::StatusOr<std::string> AddToken(const std::string& path,
                                     absl::string_view name,
                                     const std::vector<std::string>& roles) {
  absl::StatusOr<std::string> text = ReadFileIfAny(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<TokenTable> table = TokenTable::Parse(*text, path);
  if (!table.ok()) return table.status();
  absl::StatusOr<std::string> token = NewToken(name);
  if (!token.ok()) return token.status();
  TokenEntry entry{std::string(name), Sha256Hex(*token), roles};
  if (absl::Status added = table->Add(entry); !added.ok()) return added;
  std::string lines;
  if (text->empty()) {
    lines = kFileHeader;
  } else if (text->back() != '\n') {
    lines = "\n";
  }
  absl::StrAppend(&lines, entry.name, "\t", entry.sha256_hex, "\t",
                  absl::StrJoin(entry.roles, ","), "\n");
  if (absl::Status written = AppendToFile(path, lines); !written.ok()) {
    return written;
  }
  return token;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const std::string& listen, const ServerSecurity& security) {
  if (absl::Status exposure = CheckExposure(listen, security); !exposure.ok()) {
    return exposure;
  }
  absl::StatusOr<std::optional<TokenTable>> tokens =
      LoadTokens(security.tokens_file);
  if (!tokens.ok()) return tokens.status();
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      TransportCredentials(security);
  if (!credentials.ok()) return credentials.status();
  (*credentials)
      ->SetAuthMetadataProcessor(
          std::make_shared<TokenChecker>(*std::move(tokens)));
  return credentials;
}

absl::Status CheckListenExposure(const std::string& listen,
                                 const ServerSecurity& security) {
  return CheckExposure(listen, security);
}

std::string CallerActor(const grpc::ServerContextBase& context) {
  // TokenChecker left only verified tokens in the metadata.
  auto header = context.client_metadata().find(kAuthorization);
  if (header == context.client_metadata().end()) return "anonymous";
  absl::string_view token = BearerToken(
      absl::string_view(header->second.data(), header->second.size()));
  if (token.empty()) return "anonymous";
  return absl::StrCat("token:", token.substr(0, token.find('.')));
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenChannel(
    const std::string& address, const ClientSecurity& security) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentials(security);
  if (!credentials.ok()) return credentials.status();
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  if (!security.token.empty()) {
    interceptors.push_back(
        std::make_unique<BearerInterceptorFactory>(security.token));
  }
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      address, *credentials, grpc::ChannelArguments(), std::move(interceptors));
}

}  // namespace c360
