// http_post.h - one JSON command to another Kea over HTTP (kea-ctrl-agent,
// or libdhcp_ha.so's own listener), from a thread of the hook's own.
//
// Kea's HTTP client (libkea-http, the one libdhcp_ha.so uses) cannot be
// compiled outside Kea's tree: its headers require the config.h of Kea's
// own build, which kea-dev does not ship.  So it is libcurl's, as the
// alpxe command's is: a blocking POST with a deadline and a stop flag.

#ifndef ALPXE_KEA_HTTP_POST_H
#define ALPXE_KEA_HTTP_POST_H

#include <atomic>
#include <string>

namespace alpxe_kea {

// TLS as HA's own client does it: the peer's chain checked against the
// trust anchor, not its name (HA's URLs are addresses); this server's
// certificate and key shown.  All empty: plain HTTP.
struct HttpTls {
    std::string trust_anchor;   // a CA file or a directory of them
    std::string cert_file;
    std::string key_file;
};

struct HttpAnswer {
    int status = 0;             // HTTP status; 0: none came
    std::string body;
    std::string error;          // why there is no answer, in words
};

// POST body (JSON) to url (http[s]://ADDRESS[:PORT][/PATH], as HA's peer
// URLs are; with tls, https whatever the URL says, as HA), with basic
// authentication when user is not empty.  Gives up after timeout_ms, or
// soon after *stop becomes true.  Returns true when an HTTP answer came
// (any status).
bool http_post(const std::string &url, const std::string &user,
    const std::string &password, const HttpTls &tls, const std::string &body,
    int timeout_ms, const std::atomic<bool> &stop, HttpAnswer &answer);

// libcurl's global state, from load() and unload() (Kea's main thread):
// counted by libcurl, so a reload's unload-then-load pairs up.
void http_init();
void http_cleanup();

}  // namespace alpxe_kea

#endif  // ALPXE_KEA_HTTP_POST_H
