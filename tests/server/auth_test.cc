// Tokens, roles and credentials (server/auth.h): the tokens file, hashing,
// the role table, the decision per call, and CallerActor over an in-process
// server. The real binary with TLS: tests/e2e/auth_e2e_test.cc.
#include "server/auth.h"

#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "c360/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kAlice[] = "alice.secret-a";  // crm, steward
constexpr char kFeed[] = "feed.secret-f";    // ingest
constexpr char kRoot[] = "root.secret-r";    // admin

std::string Line(const std::string& name, const std::string& token,
                 const std::string& roles) {
  return absl::StrCat(name, "\t", Sha256Hex(token), "\t", roles, "\n");
}

std::string TokensText() {
  return absl::StrCat("# who may call\n", Line("alice", kAlice, "crm,steward"),
                      "\n", Line("feed", kFeed, "ingest"),
                      Line("root", kRoot, "admin"));
}

TokenTable Tokens() {
  absl::StatusOr<TokenTable> table = TokenTable::Parse(TokensText(), "tokens");
  EXPECT_TRUE(table.ok()) << table.status();
  return *std::move(table);
}

std::string WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

std::string ParseError(const std::string& text) {
  absl::StatusOr<TokenTable> table = TokenTable::Parse(text, "tokens");
  EXPECT_TRUE(absl::IsInvalidArgument(table.status())) << table.status();
  return std::string(table.status().message());
}

TEST(Sha256HexTest, MatchesTheStandardVectors) {
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RequiredRoleTest, OneRolePerServiceAdminForTheRest) {
  EXPECT_EQ(RequiredRole("/c360.ProfileService/GetProfile"), "crm");
  EXPECT_EQ(RequiredRole("/c360.ProfileService/ExplainMatch"), "crm");
  EXPECT_EQ(RequiredRole("/c360.IngestService/Upsert"), "ingest");
  EXPECT_EQ(RequiredRole("/c360.StewardService/Split"), "steward");
  EXPECT_EQ(RequiredRole("/c360.SegmentService/Count"), "segment");
  EXPECT_EQ(RequiredRole("/c360.ScoringService/ScoreOpportunity"), "scoring");
  EXPECT_EQ(RequiredRole("/c360.AdminService/Backup"), "admin");
  EXPECT_EQ(RequiredRole("/c360.NewService/Anything"), "admin");
  EXPECT_EQ(RequiredRole("/c360.Profile/GetProfile"), "admin");
  EXPECT_EQ(RequiredRole(""), "admin");
}

TEST(RequiredRoleTest, HealthAndReflectionAreOpen) {
  EXPECT_EQ(RequiredRole("/grpc.health.v1.Health/Check"), "");
  EXPECT_EQ(RequiredRole("/grpc.health.v1.Health/Watch"), "");
  EXPECT_EQ(
      RequiredRole(
          "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"),
      "");
  EXPECT_EQ(
      RequiredRole("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"),
      "");
}

TEST(TokenTableTest, ParsesEntriesSkippingCommentsAndBlankLines) {
  TokenTable table = Tokens();
  ASSERT_EQ(table.entries().size(), 3u);
  EXPECT_EQ(table.entries()[0].name, "alice");
  EXPECT_EQ(table.entries()[0].sha256_hex, Sha256Hex(kAlice));
  EXPECT_THAT(table.entries()[0].roles, ElementsAre("crm", "steward"));
  EXPECT_THAT(table.entries()[2].roles, ElementsAre("admin"));
}

TEST(TokenTableTest, AcceptsCrlfAndIndentedComments) {
  std::string text =
      absl::StrCat("  # comment\r\n", Line("alice", kAlice, "crm"), "\r\n");
  absl::StatusOr<TokenTable> table = TokenTable::Parse(text, "tokens");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->entries().size(), 1u);
}

TEST(TokenTableTest, BadLinesAreNamedWithTheirNumber) {
  std::string alice = Line("alice", kAlice, "crm");
  EXPECT_THAT(ParseError(absl::StrCat("# c\n", alice, "bob crm\n")),
              HasSubstr("tokens:3: expected NAME<TAB>SHA256_HEX<TAB>ROLES, "
                        "found 1 field(s)"));
  EXPECT_THAT(ParseError(Line("al.ice", kAlice, "crm")),
              HasSubstr("tokens:1: name 'al.ice' must be"));
  EXPECT_THAT(
      ParseError(absl::StrCat("\n", Line(std::string(65, 'a'), kAlice, "crm"))),
      HasSubstr("tokens:2: name"));
  EXPECT_THAT(ParseError("bob\tABCDEF\tcrm\n"),
              HasSubstr("tokens:1: hash of 'bob' must be 64 lowercase hex"));
  EXPECT_THAT(ParseError(absl::StrCat("bob\t", std::string(64, 'A'), "\tcrm")),
              HasSubstr("tokens:1: hash of 'bob'"));
  EXPECT_THAT(ParseError(Line("bob", kFeed, "crm,owner")),
              HasSubstr("tokens:1: unknown role 'owner'"));
  EXPECT_THAT(ParseError(Line("bob", kFeed, "crm,")),
              HasSubstr("tokens:1: unknown role ''"));
  EXPECT_THAT(ParseError(Line("bob", kFeed, "")),
              HasSubstr("tokens:1: expected NAME"));
  EXPECT_THAT(ParseError(absl::StrCat(alice, Line("alice", kFeed, "crm"))),
              HasSubstr("tokens:2: name 'alice' is taken"));
  EXPECT_THAT(ParseError(absl::StrCat(alice, Line("bob", kAlice, "crm"))),
              HasSubstr("tokens:2: 'bob' has the hash of 'alice'"));
}

TEST(TokenTableTest, LoadNamesAMissingFile) {
  absl::StatusOr<TokenTable> table = TokenTable::Load("/nonexistent/tokens");
  EXPECT_TRUE(absl::IsNotFound(table.status())) << table.status();
  EXPECT_THAT(table.status().message(), HasSubstr("/nonexistent/tokens"));
}

TEST(TokenTableTest, FindsATokenByItsHashUnderItsOwnName) {
  TokenTable table = Tokens();
  ASSERT_NE(table.Find(kAlice), nullptr);
  EXPECT_EQ(table.Find(kAlice)->name, "alice");
  EXPECT_EQ(table.Find("alice.wrong"), nullptr);
  EXPECT_EQ(table.Find(Sha256Hex(kAlice)), nullptr);
  // The right secret under another name: the file says whose it is.
  absl::StatusOr<TokenTable> renamed =
      TokenTable::Parse(Line("mallory", kAlice, "admin"), "tokens");
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->Find(kAlice), nullptr);
}

class AuthorizeCallTest : public ::testing::Test {
 protected:
  absl::StatusOr<const TokenEntry*> Call(
      absl::string_view method, std::vector<absl::string_view> headers) {
    return AuthorizeCall(&tokens_, method, headers);
  }

  TokenTable tokens_ = Tokens();
};

constexpr char kGetProfile[] = "/c360.ProfileService/GetProfile";
constexpr char kUpsert[] = "/c360.IngestService/Upsert";

TEST_F(AuthorizeCallTest, WithoutTokensEveryCallIsAnonymous) {
  absl::StatusOr<const TokenEntry*> caller =
      AuthorizeCall(nullptr, kUpsert, {"Bearer whatever"});
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(*caller, nullptr);
}

TEST_F(AuthorizeCallTest, OpenServicesNeedNoToken) {
  absl::StatusOr<const TokenEntry*> caller =
      Call("/grpc.health.v1.Health/Check", {});
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(*caller, nullptr);
}

TEST_F(AuthorizeCallTest, NoTokenIsUnauthenticatedNamingTheRole) {
  absl::StatusOr<const TokenEntry*> caller = Call(kUpsert, {});
  EXPECT_TRUE(absl::IsUnauthenticated(caller.status())) << caller.status();
  EXPECT_THAT(caller.status().message(),
              HasSubstr("/c360.IngestService/Upsert needs a bearer token with "
                        "role ingest"));
}

TEST_F(AuthorizeCallTest, BadTokensAreUnauthenticated) {
  const std::string alice = absl::StrCat("Bearer ", kAlice);
  for (const std::vector<absl::string_view>& headers :
       std::vector<std::vector<absl::string_view>>{{"Basic YWxpY2U6cHc="},
                                                   {"Bearer "},
                                                   {"Bearer alice.nope"},
                                                   {alice, alice}}) {
    EXPECT_TRUE(absl::IsUnauthenticated(Call(kGetProfile, headers).status()))
        << headers.front();
  }
}

TEST_F(AuthorizeCallTest, AWrongRoleIsPermissionDenied) {
  absl::StatusOr<const TokenEntry*> caller =
      Call(kUpsert, {absl::StrCat("Bearer ", kAlice)});
  EXPECT_TRUE(absl::IsPermissionDenied(caller.status())) << caller.status();
  EXPECT_EQ(caller.status().message(),
            "token 'alice' (roles crm,steward) may not call "
            "/c360.IngestService/Upsert: it needs role ingest");
}

TEST_F(AuthorizeCallTest, TheRightRoleOrAdminPasses) {
  absl::StatusOr<const TokenEntry*> caller =
      Call(kGetProfile, {absl::StrCat("bearer ", kAlice)});
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ((*caller)->name, "alice");
  for (absl::string_view method :
       {kGetProfile, kUpsert, "/c360.AdminService/Backup", "/x.Unknown/Y"}) {
    caller = Call(method, {absl::StrCat("Bearer ", kRoot)});
    ASSERT_TRUE(caller.ok()) << method << ": " << caller.status();
    EXPECT_EQ((*caller)->name, "root");
  }
  EXPECT_TRUE(absl::IsPermissionDenied(
      Call("/x.Unknown/Y", {absl::StrCat("Bearer ", kFeed)}).status()));
}

TEST(AddTokenTest, CreatesAPrivateFileWithOnlyTheHash) {
  std::string path = NewTestDir("auth") + "/tokens";
  absl::StatusOr<std::string> token =
      AddToken(path, "alice", {"crm", "steward"});
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_THAT(*token, ::testing::MatchesRegex("alice\\.[0-9a-f]{64}"));
  struct stat info;
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  absl::StatusOr<TokenTable> table = TokenTable::Load(path);
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_NE(table->Find(*token), nullptr);
  EXPECT_THAT(table->Find(*token)->roles, ElementsAre("crm", "steward"));
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_THAT(text, ::testing::Not(HasSubstr(token->substr(6))));
  EXPECT_THAT(text, HasSubstr("# c360 tokens"));
}

TEST(AddTokenTest, AppendsAfterALastLineWithoutNewline) {
  std::string line = Line("alice", kAlice, "crm");
  std::string path = WriteFile(NewTestDir("auth") + "/tokens",
                               line.substr(0, line.size() - 1));
  absl::StatusOr<std::string> token = AddToken(path, "bob", {"ingest"});
  ASSERT_TRUE(token.ok()) << token.status();
  absl::StatusOr<TokenTable> table = TokenTable::Load(path);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->entries().size(), 2u);
}

TEST(AddTokenTest, RefusesTakenNamesUnknownRolesAndBadFiles) {
  std::string path = WriteFile(NewTestDir("auth") + "/tokens", TokensText());
  EXPECT_THAT(AddToken(path, "alice", {"crm"}).status().message(),
              HasSubstr("name 'alice' is taken"));
  EXPECT_THAT(AddToken(path, "bob", {"crm", "boss"}).status().message(),
              HasSubstr("unknown role 'boss'"));
  EXPECT_THAT(AddToken(path, "bob", {}).status().message(),
              HasSubstr("has no roles"));
  EXPECT_TRUE(absl::IsInvalidArgument(AddToken(path, "b c", {"crm"}).status()));
  std::string bad = WriteFile(NewTestDir("auth") + "/tokens", "x\ty\n");
  EXPECT_THAT(AddToken(bad, "bob", {"crm"}).status().message(),
              HasSubstr(":1: expected NAME"));
  EXPECT_TRUE(TokenTable::Load(path).ok());
}

TEST(MakeServerCredentialsTest, OnlyLoopbackGoesWithoutTokensAndTls) {
  for (const char* listen : {"127.0.0.1:0", "[::1]:0", "localhost:50051"}) {
    EXPECT_TRUE(MakeServerCredentials(listen, {}).ok()) << listen;
  }
  absl::Status open = MakeServerCredentials("0.0.0.0:0", {}).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(open)) << open;
  EXPECT_THAT(open.message(), HasSubstr("pass --auth-tokens"));
  std::string tokens = WriteFile(NewTestDir("auth") + "/tokens", TokensText());
  ServerSecurity plaintext{tokens, "", "", ""};
  absl::Status clear =
      MakeServerCredentials("10.0.0.1:443", plaintext).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(clear)) << clear;
  EXPECT_THAT(clear.message(), HasSubstr("--tls-cert"));
  EXPECT_TRUE(MakeServerCredentials("127.0.0.1:0", plaintext).ok());
}

TEST(MakeServerCredentialsTest, ChecksTheFilesAndTheirCombination) {
  std::string dir = NewTestDir("auth");
  EXPECT_TRUE(absl::IsNotFound(
      MakeServerCredentials("127.0.0.1:0", {dir + "/none", "", "", ""})
          .status()));
  std::string empty = WriteFile(dir + "/empty", "# nobody yet\n");
  EXPECT_TRUE(absl::IsFailedPrecondition(
      MakeServerCredentials("127.0.0.1:0", {empty, "", "", ""}).status()));
  std::string bad = WriteFile(dir + "/bad", "alice\n");
  EXPECT_TRUE(absl::IsInvalidArgument(
      MakeServerCredentials("127.0.0.1:0", {bad, "", "", ""}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      MakeServerCredentials("127.0.0.1:0", {"", "cert.pem", "", ""}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      MakeServerCredentials("127.0.0.1:0", {"", "", "", "ca.pem"}).status()));
  EXPECT_TRUE(absl::IsNotFound(
      MakeServerCredentials("127.0.0.1:0", {"", dir + "/c", dir + "/k", ""})
          .status()));
}

TEST(OpenChannelTest, ChecksTheTlsOptions) {
  EXPECT_TRUE(OpenChannel("127.0.0.1:1", {}).ok());
  EXPECT_TRUE(absl::IsInvalidArgument(
      OpenChannel("127.0.0.1:1", {"", "", "cert.pem", ""}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      OpenChannel("127.0.0.1:1", {"", "", "cert.pem", "key.pem"}).status()));
  EXPECT_TRUE(absl::IsNotFound(
      OpenChannel("127.0.0.1:1", {"", "/nonexistent/ca.pem", "", ""})
          .status()));
}

// Answers GetProfile with the caller's actor as the entity id.
class ActorEcho final : public ProfileService::Service {
  grpc::Status GetProfile(grpc::ServerContext* context,
                          const GetProfileRequest*,
                          GetProfileResponse* response) override {
    response->mutable_profile()->set_entity_id(CallerActor(*context));
    return grpc::Status::OK;
  }
};

// An in-process server of ActorEcho and health checking with credentials
// from MakeServerCredentials.
class CallerActorTest : public ::testing::Test {
 protected:
  void Start(const ServerSecurity& security) {
    auto credentials = MakeServerCredentials("127.0.0.1:0", security);
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", *credentials, &port_);
    builder.RegisterService(&echo_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  std::shared_ptr<grpc::Channel> Channel(const std::string& token) {
    auto channel =
        OpenChannel(absl::StrCat("127.0.0.1:", port_), {token, "", "", ""});
    EXPECT_TRUE(channel.ok()) << channel.status();
    return *channel;
  }

  grpc::Status Actor(const std::string& token, std::string* actor) {
    GetProfileResponse response;
    grpc::ClientContext context;
    grpc::Status status = ProfileService::NewStub(Channel(token))
                              ->GetProfile(&context, {}, &response);
    *actor = response.profile().entity_id();
    return status;
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  ActorEcho echo_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(CallerActorTest, NamesTheVerifiedToken) {
  Start({WriteFile(NewTestDir("auth") + "/tokens", TokensText()), "", "", ""});
  std::string actor;
  grpc::Status status = Actor(kAlice, &actor);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(actor, "token:alice");
  status = Actor(kFeed, &actor);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  status = Actor("", &actor);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("needs a bearer token"));
  grpc::health::v1::HealthCheckResponse health;
  grpc::ClientContext context;
  status = grpc::health::v1::Health::NewStub(Channel(""))
               ->Check(&context, {}, &health);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(CallerActorTest,
       IsAnonymousWithoutAuthenticationWhateverTheClientSends) {
  Start({});
  std::string actor;
  grpc::Status status = Actor(kRoot, &actor);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(actor, "anonymous");
  status = Actor("", &actor);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(actor, "anonymous");
}

}  // namespace
}  // namespace c360
