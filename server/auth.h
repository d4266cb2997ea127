// Who may call what: bearer tokens whose SHA-256 hashes are kept in a tokens
// file with the roles they grant, one table of the role each gRPC service
// needs, server credentials that enforce both (plaintext on loopback, TLS,
// mutual TLS), and the client side: a channel that speaks TLS and sends a
// token.
//
// Tokens file (made by `c360 token add`), one token per line:
//
//   NAME<TAB>SHA256_HEX<TAB>ROLE[,ROLE...]
//
// NAME is 1-64 of [A-Za-z0-9_-] and unique; SHA256_HEX is the SHA-256 of the
// whole token as 64 lowercase hex digits, unique; ROLE is one of crm,
// ingest, steward, segment, scoring, admin. Blank lines and lines starting
// with '#' are ignored. The file never holds a token: a token is
// "NAME.SECRET" (SECRET = 64 hex digits of 32 random bytes) and is shown
// once, when made. Clients send it as "authorization: Bearer NAME.SECRET".
//
// Roles (RequiredRole): c360.ProfileService needs crm, c360.IngestService
// ingest, c360.StewardService steward, c360.SegmentService segment,
// c360.ScoringService scoring, c360.AdminService and every service not in
// the table admin; admin may call everything. Health checking and server
// reflection are open to all.
#ifndef C360_SERVER_AUTH_H_
#define C360_SERVER_AUTH_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"
#include "store/sha256.h"  // Sha256Hex, which token tables store

namespace c360 {

inline constexpr char kAdminRole[] = "admin";

// The role a call of `method` ("/package.Service/Method") needs: "" for the
// open services (health checking, reflection), "admin" for a service that
// is not in the table.
std::string RequiredRole(absl::string_view method);

struct TokenEntry {
  std::string name;
  std::string sha256_hex;
  std::vector<std::string> roles;
};

// The parsed tokens file.
class TokenTable {
 public:
  // Parses the text of a tokens file. InvalidArgument "ORIGIN:LINE: reason"
  // for the first bad line (field count, name, hash, role, duplicate).
  static absl::StatusOr<TokenTable> Parse(absl::string_view text,
                                          absl::string_view origin);
  // Reads and parses the file at `path`; NotFound when it cannot be read.
  static absl::StatusOr<TokenTable> Load(const std::string& path);

  // The entry of `token` ("NAME.SECRET"): its hash is in the table under
  // the token's NAME. nullptr otherwise.
  const TokenEntry* Find(absl::string_view token) const;

  // Adds `entry`. InvalidArgument for a bad name, hash or role, or a name or
  // hash already in the table.
  absl::Status Add(TokenEntry entry);

  const std::vector<TokenEntry>& entries() const { return entries_; }

 private:
  std::vector<TokenEntry> entries_;
  absl::flat_hash_map<std::string, size_t> by_hash_;
  absl::flat_hash_map<std::string, size_t> by_name_;
};

// Decides one call of `method` that carries the "authorization" header
// values `authorization`. `tokens` == nullptr means authentication is off.
// Returns the caller's entry when a token was verified, nullptr when the
// call needs none (authentication off, or an open service).
// Unauthenticated when a token is needed and is missing, malformed,
// repeated or unknown; PermissionDenied when its roles do not cover the
// method. The messages name the method and the role it needs.
absl::StatusOr<const TokenEntry*> AuthorizeCall(
    const TokenTable* tokens, absl::string_view method,
    const std::vector<absl::string_view>& authorization);

// Adds a new token called `name` with `roles` to the tokens file at `path`
// (created with mode 0600 and a header comment when missing) and returns
// the token, which is kept nowhere. InvalidArgument for a bad or taken
// name, no or unknown roles, or a bad existing file.
absl::StatusOr<std::string> AddToken(const std::string& path,
                                     absl::string_view name,
                                     const std::vector<std::string>& roles);

// How a server authenticates its callers; files are PEM.
struct ServerSecurity {
  std::string tokens_file;    // "" = no authentication
  std::string tls_cert_file;  // with tls_key_file: serve TLS
  std::string tls_key_file;
  std::string tls_client_ca_file;  // require client certificates it signed
};

// Server credentials for listening on `listen` ("HOST:PORT") that check
// every call with AuthorizeCall over the tokens file, and strip tokens that
// were not verified. Without TLS the connection is plaintext and must come
// from the same machine. Only loopback (127.0.0.1, [::1], localhost) may be
// served without tokens or without TLS: FailedPrecondition otherwise.
// InvalidArgument for a TLS option without the ones it needs, NotFound for
// an unreadable file, InvalidArgument for a bad tokens file.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const std::string& listen, const ServerSecurity& security);

// The exposure rule of MakeServerCredentials alone, for other listeners
// (the review page's HTTP port): OK for loopback, FailedPrecondition for any
// other address without a tokens file and a TLS certificate.
absl::Status CheckListenExposure(const std::string& listen,
                                 const ServerSecurity& security);

// Who makes the call, for audit events: "token:NAME" for a call whose token
// was verified, "anonymous" otherwise. Valid in the services of a server
// whose credentials come from MakeServerCredentials.
std::string CallerActor(const grpc::ServerContextBase& context);

// How a client reaches a server; files are PEM.
struct ClientSecurity {
  std::string token;          // sent as a bearer token; "" = none
  std::string tls_ca_file;    // CA that signed the server's certificate;
                              // "" = plaintext
  std::string tls_cert_file;  // client certificate for mutual TLS
  std::string tls_key_file;
};

// A channel to `address` with `security`. InvalidArgument for a client
// certificate without its key or without tls_ca_file, NotFound for an
// unreadable file.
absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenChannel(
    const std::string& address, const ClientSecurity& security);

}  // namespace c360

#endif  // C360_SERVER_AUTH_H_
