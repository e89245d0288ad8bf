// http_post.cc - a blocking HTTP/1.1 POST with a deadline (see the header).

#include "http_post.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace alpxe_kea {

namespace {

typedef std::chrono::steady_clock Clock;

// Kea's answers to status commands are a few KB; refuse anything absurd.
const size_t ANSWER_MAX = 4 * 1024 * 1024;
// How often a wait looks at the stop flag.
const int SLICE_MS = 100;

std::string
base64(const std::string &in)
{
    static const char t[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i;

    for (i = 0; i + 2 < in.size(); i += 3) {
        unsigned v = (unsigned char) in[i] << 16 |
            (unsigned char) in[i + 1] << 8 | (unsigned char) in[i + 2];
        out += t[v >> 18];
        out += t[(v >> 12) & 63];
        out += t[(v >> 6) & 63];
        out += t[v & 63];
    }
    if (i < in.size()) {
        unsigned v = (unsigned char) in[i] << 16;
        if (i + 1 < in.size())
            v |= (unsigned char) in[i + 1] << 8;
        out += t[v >> 18];
        out += t[(v >> 12) & 63];
        out += i + 1 < in.size() ? t[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// http://HOST[:PORT][/PATH] -> address, port, path.
bool
parse_url(const std::string &url, sockaddr_storage &sa, socklen_t &salen,
    std::string &host, std::string &path, std::string &error)
{
    const std::string scheme = "http://";
    std::string rest, port = "80";
    size_t end;

    if (url.compare(0, scheme.size(), scheme) != 0) {
        error = "only http:// URLs can be asked (" + url + ")";
        return false;
    }
    rest = url.substr(scheme.size());
    end = rest.find('/');
    path = end == std::string::npos ? "/" : rest.substr(end);
    rest = rest.substr(0, end);
    if (!rest.empty() && rest[0] == '[') {
        size_t close = rest.find(']');
        if (close == std::string::npos) {
            error = "malformed URL " + url;
            return false;
        }
        host = rest.substr(1, close - 1);
        if (close + 1 < rest.size() && rest[close + 1] == ':')
            port = rest.substr(close + 2);
    } else {
        size_t colon = rest.find(':');
        host = rest.substr(0, colon);
        if (colon != std::string::npos)
            port = rest.substr(colon + 1);
    }
    char *stop = NULL;
    long p = std::strtol(port.c_str(), &stop, 10);
    if (port.empty() || *stop != '\0' || p <= 0 || p > 65535) {
        error = "malformed port in " + url;
        return false;
    }
    std::memset(&sa, 0, sizeof(sa));
    sockaddr_in *v4 = reinterpret_cast<sockaddr_in *>(&sa);
    sockaddr_in6 *v6 = reinterpret_cast<sockaddr_in6 *>(&sa);
    if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<uint16_t>(p));
        salen = sizeof(*v4);
    } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<uint16_t>(p));
        salen = sizeof(*v6);
        host = "[" + host + "]";
    } else {
        // libdhcp_ha.so itself takes only addresses in peer URLs.
        error = "not an IP address in " + url;
        return false;
    }
    if (port != "80")
        host += ":" + port;
    return true;
}

// Wait for events on fd until the deadline or stop; 1 ready, 0 timed
// out or stopped (error says which), -1 failed.
int
wait_for(int fd, short events, Clock::time_point deadline,
    const std::atomic<bool> &stop, std::string &error)
{
    for (;;) {
        if (stop.load()) {
            error = "stopped";
            return 0;
        }
        long left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - Clock::now()).count();
        if (left <= 0) {
            error = "no answer in time";
            return 0;
        }
        pollfd p = { fd, events, 0 };
        int n = poll(&p, 1, static_cast<int>(left < SLICE_MS ? left
                                                              : SLICE_MS));
        if (n > 0)
            return 1;
        if (n < 0 && errno != EINTR) {
            error = std::strerror(errno);
            return -1;
        }
    }
}

// Headers read: the status and, if given, the body's length.
bool
parse_head(const std::string &head, int &status, long &length)
{
    length = -1;
    if (head.compare(0, 5, "HTTP/") != 0 || head.size() < 12)
        return false;
    status = std::atoi(head.c_str() + 9);
    size_t pos = 0;
    while ((pos = head.find("\r\n", pos)) != std::string::npos) {
        pos += 2;
        if (strncasecmp(head.c_str() + pos, "content-length:", 15) == 0)
            length = std::atol(head.c_str() + pos + 15);
    }
    return status > 0;
}

}  // namespace

bool
http_post(const std::string &url, const std::string &user,
    const std::string &password, const std::string &body, int timeout_ms,
    const std::atomic<bool> &stop, HttpAnswer &answer)
{
    Clock::time_point deadline =
        Clock::now() + std::chrono::milliseconds(timeout_ms);
    sockaddr_storage sa;
    socklen_t salen = 0;
    std::string host, path, request, got;
    int fd, rc;

    answer = HttpAnswer();
    if (!parse_url(url, sa, salen, host, path, answer.error))
        return false;
    request = "POST " + path + " HTTP/1.1\r\nHost: " + host +
        "\r\nContent-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\nConnection: close\r\n";
    if (!user.empty())
        request += "Authorization: Basic " + base64(user + ":" + password) +
            "\r\n";
    request += "\r\n" + body;

    fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        answer.error = std::strerror(errno);
        return false;
    }
    if (connect(fd, reinterpret_cast<sockaddr *>(&sa), salen) != 0 &&
        errno != EINPROGRESS) {
        answer.error = std::strerror(errno);
        close(fd);
        return false;
    }
    rc = wait_for(fd, POLLOUT, deadline, stop, answer.error);
    int soerr = 0;
    socklen_t len = sizeof(soerr);
    if (rc == 1 && (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0
                    || soerr != 0)) {
        answer.error = std::strerror(soerr ? soerr : errno);
        rc = -1;
    }
    for (size_t sent = 0; rc == 1 && sent < request.size();) {
        ssize_t n = send(fd, request.data() + sent, request.size() - sent,
                         MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            rc = wait_for(fd, POLLOUT, deadline, stop, answer.error);
        } else {
            answer.error = std::strerror(errno);
            rc = -1;
        }
    }

    // Read until the body is complete (Content-Length) or Kea closes.
    size_t head_end = std::string::npos;
    long length = -1;
    while (rc == 1) {
        char buf[16384];
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            rc = wait_for(fd, POLLIN, deadline, stop, answer.error);
            continue;
        }
        if (n < 0) {
            answer.error = std::strerror(errno);
            rc = -1;
            break;
        }
        if (n > 0)
            got.append(buf, static_cast<size_t>(n));
        if (got.size() > ANSWER_MAX) {
            answer.error = "an answer of over 4 MB";
            rc = -1;
            break;
        }
        if (head_end == std::string::npos) {
            head_end = got.find("\r\n\r\n");
            if (head_end != std::string::npos &&
                !parse_head(got.substr(0, head_end), answer.status, length)) {
                answer.error = "not an HTTP answer";
                rc = -1;
                break;
            }
        }
        if (head_end != std::string::npos &&
            (n == 0 || (length >= 0 &&
                got.size() >= head_end + 4 + static_cast<size_t>(length)))) {
            answer.body = got.substr(head_end + 4,
                length >= 0 ? static_cast<size_t>(length) : std::string::npos);
            close(fd);
            return true;
        }
        if (n == 0) {
            answer.error = got.empty() ? "the connection was closed without "
                "an answer" : "a truncated answer";
            rc = -1;
        }
    }
    close(fd);
    answer.status = 0;
    return false;
}

}  // namespace alpxe_kea
