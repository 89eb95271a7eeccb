// A Server with a trivial handler, for load tests by hand (not a test; built only on request):
//   ninja -C build-http http_load_server && build-http/test-bin/http_load_server 127.0.0.1:8089 2 2>/dev/null &
//   wrk -t2 -c64 -d10s http://127.0.0.1:8089/api/ping
// Arguments: [listen] [threads] [web_root] [quiet]; "quiet" turns the access log off to measure its cost.
#include <cstdlib>
#include <iostream>
#include <string>

#include "common/log.h"
#include "common/random.h"
#include "http/server.h"

int main(int argc, char** argv) {
  ap::http::ServerOptions options;
  options.listen = argc > 1 ? argv[1] : "127.0.0.1:8089";
  options.threads = argc > 2 ? std::atoi(argv[2]) : 0;
  if (argc > 3 && argv[3][0] != '\0') options.web_root = argv[3];
  if (argc > 4 && std::string(argv[4]) == "quiet") ap::log::SetLevel(ap::log::Level::kWarn);  // no access log
  ap::SecureRandom random;
  ap::http::Server server(
      options,
      [](ap::http::Request, ap::http::Responder done) {
        ap::http::Response r;
        r.body = R"({"ok":true})";
        r.route = "/api/ping";
        done(std::move(r));
      },
      random);
  if (ap::Status s = server.Start(); !s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }
  std::cerr << "listening on port " << server.port() << "\n";
  server.HandleSignals();
  server.Run();
  return 0;
}
