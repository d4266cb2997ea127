// End-to-end authentication: tokens made by the real `c360 token add`, the
// real `c360 serve --auth-tokens` binary checking them per service, TLS and
// mutual TLS with certificates made by the openssl command, and the refusal
// to serve a non-loopback address without tokens and TLS.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "c360/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/auth.h"
#include "tests/e2e/command_run.h"
#include "tests/e2e/server_process.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

// `c360 token add` for `name`; returns the token it printed.
std::string NewToken(const std::string& file, const std::string& name,
                     const std::string& roles) {
  CommandRun run = C360(absl::StrCat("token add --file ", file, " --name ",
                                     name, " --roles ", roles));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  for (absl::string_view line : absl::StrSplit(run.out, '\n')) {
    if (absl::StartsWith(line, name + ".")) return std::string(line);
  }
  ADD_FAILURE() << "no token in: " << run.out;
  return "";
}

// A self-signed certificate (its own CA) with common name `name`, valid for
// 127.0.0.1 and localhost, in `dir`/NAME.crt with its key in `dir`/NAME.key.
void MakeCertificate(const std::string& dir, const std::string& name) {
  std::string command = absl::StrCat(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
      "-nodes -days 1 -subj /CN=",
      name, " -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout ", dir,
      "/", name, ".key -out ", dir, "/", name, ".crt 2>/dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

SourceRecord Record() {
  SourceRecord record;
  record.set_source("crm");
  record.set_source_id("0001");
  record.add_names()->set_full("Liisa Virtanen");
  record.add_emails("liisa.virtanen@example.fi");
  return record;
}

class AuthE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = NewTestDir("auth_e2e");
    tokens_ = dir_ + "/tokens";
    crm_ = NewToken(tokens_, "alice", "crm,steward");
    ingest_ = NewToken(tokens_, "feed", "ingest");
    admin_ = NewToken(tokens_, "root", "admin");
  }

  // Starts the server with the tokens file and `extra_args`.
  void Serve(const std::vector<std::string>& extra_args = {}) {
    std::vector<std::string> args = {"--auth-tokens", tokens_};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    server_ = std::make_unique<ServerProcess>(C360_BINARY, dir_ + "/db", args);
    ASSERT_FALSE(server_->address().empty()) << "server did not start";
  }

  std::shared_ptr<grpc::Channel> Channel(const ClientSecurity& security) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        OpenChannel(server_->address(), security);
    EXPECT_TRUE(channel.ok()) << channel.status();
    return *channel;
  }

  grpc::Status Find(const ClientSecurity& security) {
    FindProfilesRequest request;
    request.set_email("liisa.virtanen@example.fi");
    FindProfilesResponse response;
    grpc::ClientContext context;
    return ProfileService::NewStub(Channel(security))
        ->FindProfiles(&context, request, &response);
  }

  grpc::Status Upsert(const std::string& token) {
    UpsertRequest request;
    *request.mutable_record() = Record();
    UpsertResponse response;
    grpc::ClientContext context;
    return IngestService::NewStub(Channel({token, "", "", ""}))
        ->Upsert(&context, request, &response);
  }

  // Runs `c360 find` against the server with `options`.
  CommandRun FindCommand(const std::string& options) {
    return C360(absl::StrCat("find --email liisa.virtanen@example.fi --server ",
                             server_->address(), " ", options));
  }

  std::string dir_;
  std::string tokens_;
  std::string crm_;
  std::string ingest_;
  std::string admin_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(AuthE2ETest, NoTokenIsUnauthenticated) {
  Serve();
  grpc::Status status = Find({});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("/c360.ProfileService/FindProfiles needs a bearer "
                        "token with role crm"));
  EXPECT_EQ(Upsert("").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Upsert("feed.0123").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthE2ETest, CrmTokenCallingIngestIsPermissionDenied) {
  Serve();
  grpc::Status status = Upsert(crm_);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("token 'alice' (roles crm,steward) may not call "
                        "/c360.IngestService/Upsert: it needs role ingest"));
  EXPECT_EQ(Find({ingest_, "", "", ""}).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthE2ETest, TheRightRoleAndAdminAreServed) {
  Serve();
  grpc::Status status = Upsert(ingest_);
  EXPECT_TRUE(status.ok()) << status.error_message();
  status = Find({crm_, "", "", ""});
  EXPECT_TRUE(status.ok()) << status.error_message();
  status = Upsert(admin_);
  EXPECT_TRUE(status.ok()) << status.error_message();
  status = Find({admin_, "", "", ""});
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(AuthE2ETest, HealthCheckingIsOpen) {
  Serve();
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  grpc::Status status =
      grpc::health::v1::Health::NewStub(Channel({}))
          ->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(AuthE2ETest, CommandLineClientsSendTheTokenFromOptionOrEnvironment) {
  Serve();
  CommandRun run = FindCommand("");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_THAT(run.out, HasSubstr("needs a bearer token with role crm"));
  run = FindCommand("--token " + crm_);
  EXPECT_EQ(run.exit_code, 0) << run.out;
  run = FindCommand("--token " + ingest_);
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_THAT(run.out, HasSubstr("it needs role crm"));
  run = C360(
      absl::StrCat("watch --server ", server_->address(), " --token ", crm_));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  run = C360(absl::StrCat("profile 1 --server ", server_->address(),
                          " --token ", crm_));  // no such entity, but let in
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("token")));
  setenv("C360_TOKEN", crm_.c_str(), 1);
  run = FindCommand("");
  unsetenv("C360_TOKEN");
  EXPECT_EQ(run.exit_code, 0) << run.out;
}

TEST_F(AuthE2ETest, TlsServesClientsThatTrustTheCertificate) {
  MakeCertificate(dir_, "server");
  const std::string cert = dir_ + "/server.crt";
  Serve({"--tls-cert", cert, "--tls-key", dir_ + "/server.key"});
  grpc::Status status = Find({crm_, cert, "", ""});
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Find({crm_, "", "", ""}).error_code(),
            grpc::StatusCode::UNAVAILABLE);  // plaintext to a TLS server
  EXPECT_EQ(Find({"", cert, "", ""}).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  CommandRun run =
      FindCommand(absl::StrCat("--token ", crm_, " --tls-ca ", cert));
  EXPECT_EQ(run.exit_code, 0) << run.out;
}

TEST_F(AuthE2ETest, MutualTlsRejectsAClientWithoutCertificate) {
  MakeCertificate(dir_, "server");
  MakeCertificate(dir_, "client");
  const std::string ca = dir_ + "/server.crt";
  const std::string client_cert = dir_ + "/client.crt";
  const std::string client_key = dir_ + "/client.key";
  Serve({"--tls-cert", ca, "--tls-key", dir_ + "/server.key", "--tls-client-ca",
         client_cert});
  EXPECT_EQ(Find({crm_, ca, "", ""}).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  grpc::Status status = Find({crm_, ca, client_cert, client_key});
  EXPECT_TRUE(status.ok()) << status.error_message();
  CommandRun run = FindCommand(absl::StrCat("--token ", crm_, " --tls-ca ", ca,
                                            " --tls-cert ", client_cert,
                                            " --tls-key ", client_key));
  EXPECT_EQ(run.exit_code, 0) << run.out;
}

TEST_F(AuthE2ETest, NonLoopbackNeedsTokensAndTls) {
  const std::string db = dir_ + "/db";
  CommandRun run = C360(absl::StrCat("serve --db ", db, " --listen 0.0.0.0:0"));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_THAT(run.out, HasSubstr("refusing to serve 0.0.0.0:0 without "
                                 "authentication"));
  EXPECT_THAT(run.out, HasSubstr("pass --auth-tokens"));
  run = C360(absl::StrCat("serve --db ", db,
                          " --listen 0.0.0.0:0 --auth-tokens ", tokens_));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_THAT(run.out, HasSubstr("clear text"));
}

}  // namespace
}  // namespace c360
