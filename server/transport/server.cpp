// The server's lifecycle: Server::Create (TLS store, wiring checks, binding both listeners),
// Run (accept loops, reload poll, signals, one event loop per worker thread), Shutdown and Reload,
// and what a reload does (certificates, then wiring.reload). The pieces: server_impl.hpp (the
// state), listener.cpp (accept loops, drain), tls_context.cpp (certificates), https_session.cpp and
// metrics_session.cpp (connections).
#include "albwebhook/transport/server.hpp"

#include <boost/asio/post.hpp>
#include <csignal>
#include <functional>
#include <thread>
#include <vector>

#include "albwebhook/log/log.hpp"
#include "albwebhook/metrics/metrics.hpp"
#include "transport/server_impl.hpp"

namespace albwebhook::transport {

namespace net = boost::asio;

void Server::Impl::ReloadNow() {
  std::string error;
  double not_after = 0;
  switch (tls->Reload(&error, &not_after)) {
    case detail::TlsStore::Outcome::kReloaded:
      metrics->CertificateReload(true, not_after);
      log::Info("serving certificate loaded",
                {{"cert_file", config.cert_file}, {"not_after", not_after}});
      break;
    case detail::TlsStore::Outcome::kFailed:
      metrics->CertificateReload(false, 0);
      log::Error("serving certificate rejected; the previous one keeps serving",
                 {{"error", error}});
      break;
    case detail::TlsStore::Outcome::kUnchanged:
      break;
  }
  if (wiring.reload) wiring.reload();
}

void Server::Impl::ScheduleReload() {
  reload_timer.expires_after(config.reload_interval);
  reload_timer.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped.load()) return;
    ReloadNow();
    ScheduleReload();
  });
}

void Server::Impl::WaitSignal() {
  signals->async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    if (sig == SIGHUP) {
      log::Info("SIGHUP: reloading certificate and policy");
      ReloadNow();
    } else {
      log::Info("signal received", {{"signal", sig}});
      BeginShutdown();
    }
    if (!stopped.load()) WaitSignal();
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(const ServerConfig& config, Wiring wiring) {
  auto impl = std::make_unique<Impl>(config, std::move(wiring));
  Impl& s = *impl;
  if (config.threads < 1) return Error{"--threads must be at least 1"};

  if (!s.wiring.metrics || !s.wiring.unrouted) return Error{"server wiring is incomplete"};
  s.tls =
      std::make_unique<detail::TlsStore>(config.cert_file, config.key_file, config.client_ca_file);
  std::string error;
  double not_after = 0;
  if (s.tls->Reload(&error, &not_after) != detail::TlsStore::Outcome::kReloaded) {
    return Error{"TLS: " + error};
  }
  s.metrics->CertificateReload(true, not_after);

  if (auto bound = detail::Bind(s.acceptor, config.listen); !bound) return bound.error();
  if (auto bound = detail::Bind(s.metrics_acceptor, config.metrics_listen); !bound) {
    return bound.error();
  }
  s.webhook_port = s.acceptor.local_endpoint().port();
  s.metrics_port = s.metrics_acceptor.local_endpoint().port();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::webhook_port() const { return impl_->webhook_port; }
std::uint16_t Server::metrics_port() const { return impl_->metrics_port; }

void Server::Run() {
  Impl& s = *impl_;
  if (s.config.handle_signals) {
    s.signals.emplace(s.control, SIGTERM, SIGINT, SIGHUP);
    s.WaitSignal();
  }
  s.DoAccept();
  s.DoAcceptMetrics();
  s.ScheduleReload();
  s.listening = true;
  log::Info("serving", {{"webhook_port", webhook_port()},
                        {"metrics_port", metrics_port()},
                        {"threads", s.config.threads}});
  // A handler that throws (none should: a parser limit or an allocation failure) unwinds out of
  // run(); the connection it served is dropped with its handler, and the thread runs on.
  auto run = [&s](net::io_context& ctx) {
    while (true) {
      try {
        ctx.run();
        return;
      } catch (const std::exception& e) {
        log::Error("a connection handler threw; that connection was closed",
                   {{"error", std::string(e.what())}});
        if (s.wiring.metrics) s.wiring.metrics->Panic();
      }
    }
  };
  // One thread per loop: this one runs the first (with the control strand), each other thread
  // its own worker's.
  std::vector<std::thread> threads;
  for (auto& ctx : s.worker_contexts) threads.emplace_back(run, std::ref(*ctx));
  run(s.ioc);
  for (auto& t : threads) t.join();
}

void Server::Shutdown() {
  net::post(impl_->control, [this] { impl_->BeginShutdown(); });
}

void Server::Reload() {
  net::post(impl_->control, [this] { impl_->ReloadNow(); });
}

}  // namespace albwebhook::transport
