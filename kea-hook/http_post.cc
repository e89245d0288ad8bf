// http_post.cc - a blocking HTTP(S) POST with a deadline and a stop flag
// (see the header), on libcurl's multi interface: its poll is cut into
// slices so that unload() never waits long for a partner that is slow.

#include "http_post.h"

#include <curl/curl.h>
#include <sys/stat.h>

#include <memory>

namespace alpxe_kea {

namespace {

// Kea's answers to status commands are a few KB; refuse anything absurd.
const size_t ANSWER_MAX = 4 * 1024 * 1024;
// How often a wait looks at the stop flag.
const int SLICE_MS = 100;

size_t
collect(char *data, size_t size, size_t n, void *ctx)
{
    std::string *body = static_cast<std::string *>(ctx);
    size_t len = size * n;

    if (body->size() + len > ANSWER_MAX)
        return 0;               // CURLE_WRITE_ERROR
    body->append(data, len);
    return len;
}

struct EasyDeleter {
    void operator()(CURL *e) const { curl_easy_cleanup(e); }
};
struct MultiDeleter {
    void operator()(CURLM *m) const { curl_multi_cleanup(m); }
};
struct SlistDeleter {
    void operator()(curl_slist *l) const { curl_slist_free_all(l); }
};

}  // namespace

void
http_init()
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
http_cleanup()
{
    curl_global_cleanup();
}

bool
http_post(const std::string &url, const std::string &user,
    const std::string &password, const HttpTls &tls, const std::string &body,
    int timeout_ms, const std::atomic<bool> &stop, HttpAnswer &answer)
{
    // HA's peer URLs keep http:// when TLS is on
    const std::string target = !tls.trust_anchor.empty() &&
        url.compare(0, 7, "http://") == 0 ? "https://" + url.substr(7) : url;
    std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
    std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
    std::unique_ptr<curl_slist, SlistDeleter> headers(
        curl_slist_append(NULL, "Content-Type: application/json"));
    char detail[CURL_ERROR_SIZE] = "";
    // until libcurl says how the transfer ended
    CURLcode rc = CURLE_FAILED_INIT;
    int running = 1;

    answer = HttpAnswer();
    if (!easy || !multi || !headers) {
        answer.error = "out of memory";
        return false;
    }
    CURL *e = easy.get();
    curl_easy_setopt(e, CURLOPT_URL, target.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    // HA's peers are asked directly, whatever http_proxy says
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    // never a signal in Kea's process; and a name lookup under way never
    // holds up unload() (HA's URLs are addresses, but nothing else says so)
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, detail);
    if (!tls.trust_anchor.empty()) {
        struct stat st;
        bool dir = stat(tls.trust_anchor.c_str(), &st) == 0 &&
            S_ISDIR(st.st_mode);

        curl_easy_setopt(e, dir ? CURLOPT_CAPATH : CURLOPT_CAINFO,
                         tls.trust_anchor.c_str());
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
        if (!tls.cert_file.empty())
            curl_easy_setopt(e, CURLOPT_SSLCERT, tls.cert_file.c_str());
        if (!tls.key_file.empty())
            curl_easy_setopt(e, CURLOPT_SSLKEY, tls.key_file.c_str());
    }
    if (!user.empty()) {
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(e, CURLOPT_USERNAME, user.c_str());
        curl_easy_setopt(e, CURLOPT_PASSWORD, password.c_str());
    }

    curl_multi_add_handle(multi.get(), e);
    while (running) {
        if (stop.load()) {
            curl_multi_remove_handle(multi.get(), e);
            answer.body.clear();
            answer.error = "stopped";
            return false;
        }
        if (curl_multi_perform(multi.get(), &running) != CURLM_OK)
            break;
        if (running)
            curl_multi_poll(multi.get(), NULL, 0, SLICE_MS, NULL);
    }
    int left = 0;
    for (CURLMsg *m; (m = curl_multi_info_read(multi.get(), &left)) != NULL;)
        if (m->msg == CURLMSG_DONE)
            rc = m->data.result;
    curl_multi_remove_handle(multi.get(), e);

    if (rc != CURLE_OK) {
        answer.body.clear();
        answer.error = rc == CURLE_OPERATION_TIMEDOUT ? "no answer in time"
            : rc == CURLE_WRITE_ERROR ? "an answer of over 4 MB"
            : detail[0] != '\0' ? detail
            : rc == CURLE_FAILED_INIT ? "libcurl ended the transfer unfinished"
            : curl_easy_strerror(rc);
        return false;
    }
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    answer.status = static_cast<int>(status);
    return true;
}

}  // namespace alpxe_kea
