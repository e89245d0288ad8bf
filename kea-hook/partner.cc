// partner.cc - ask the HA partners which alpxe.conf they serve.
//
// One thread of the hook's own does the asking, so that neither Kea's
// main thread (which may be answering DHCP) nor its packet threads ever
// wait for a partner: it POSTs "alpxe-status" to each partner's HA URL
// (http_post.cc) with a deadline; unload() sets the stop flag and joins.
//
// When: a few seconds after this server loads a version (so that `alpxe
// reload` of both servers, one after the other, does not warn in
// between), after each reconfiguration of Kea, and every "ha-check"
// seconds.  A partner's own question tells us its version as well
// (partner_reported), so a change on either side is seen by both.

#include "ha.h"

#include <cc/command_interpreter.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <thread>

#include "holder.h"
#include "http_post.h"
#include "messages.h"

using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::data::ElementPtr;

namespace alpxe_kea {

namespace {

typedef std::chrono::steady_clock Clock;

// After a load here, before the partners are asked.
const int SETTLE_MS = 5000;
// One partner's answer, connection included.
const long ASK_TIMEOUT_MS = 3000;

struct PartnerState {
    HaPeer peer;
    std::string state;          // unchecked same differs unreachable no-alpxe
    std::string sha256;         // what it serves, "" nothing or unknown
    std::string detail;
    std::string how;            // "asked" (we asked) or "reported" (it did)
    long long checked;          // time() of that, 0 never

    PartnerState() : state("unchecked"), checked(0) {}
};

struct Checker {
    std::mutex lock;
    std::condition_variable wake;
    std::thread thread;
    bool stopping = false;
    std::string this_name, mode;
    std::vector<PartnerState> partners;
    bool due_set = false;
    Clock::time_point due;
    unsigned interval = 60;     // "ha-check"
    unsigned long generation = 0;   // configurations seen
    std::atomic<bool> stop{false};  // ends a check under way
};

Checker checker;

std::string
served_sha256()
{
    ConfigPtr cfg = current();
    return cfg ? alpxe_config_sha256(cfg.get()) : "";
}

// What a partner says goes into log lines: only a SHA-256 in hex passes.
bool
is_sha256(const std::string &s)
{
    return s.size() == 64 &&
        s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string
short_sha(const std::string &sha)
{
    return sha.empty() ? std::string("nothing") : "sha256 " + sha.substr(0, 12);
}

// A result of asking (or of being told): log what it means and keep it.
// Called with checker.lock held.
void
record(PartnerState &p, const std::string &state, const std::string &sha,
    const std::string &detail, const char *how)
{
    std::string before = p.state;
    std::string ours = served_sha256();

    p.state = state;
    p.sha256 = sha;
    p.detail = detail;
    p.how = how;
    p.checked = static_cast<long long>(time(NULL));
    if (state == "same" && before != "same") {
        LOG_INFO(logger, ALPXE_HA_SAME).arg(p.peer.name).arg(p.peer.url)
            .arg(short_sha(sha));
    } else if (state == "differs") {
        // Every time: a pair that disagrees must not be missed.
        LOG_WARN(logger, ALPXE_HA_DIFFERS).arg(p.peer.name).arg(p.peer.url)
            .arg(short_sha(sha)).arg(short_sha(ours));
    } else if (state == "no-alpxe") {
        LOG_WARN(logger, ALPXE_HA_NO_ALPXE).arg(p.peer.name).arg(p.peer.url)
            .arg(detail);
    } else if (state == "unreachable" && before != "unreachable") {
        LOG_INFO(logger, ALPXE_HA_UNCHECKED).arg(p.peer.name)
            .arg(p.peer.url).arg(detail);
    }
}

// The partner's alpxe-status answer: what state that means.
void
judge(const ConstElementPtr &body, std::string &state, std::string &sha,
    std::string &detail)
{
    ConstElementPtr a = body;
    int rcode = -1;

    // kea-ctrl-agent (and HA's own listener) wrap answers in a list.
    if (a && a->getType() == Element::list && a->size() > 0)
        a = a->get(0);
    if (!a || a->getType() != Element::map) {
        state = "unreachable";
        detail = "not an answer Kea gives";
        return;
    }
    try {
        ConstElementPtr args = isc::config::parseAnswer(rcode, a);
        ConstElementPtr text = a->get("text");
        detail.clear();
        if (text && text->getType() == Element::string) {
            // a partner's words go into a log line: printable, and short
            for (char c : text->stringValue().substr(0, 200))
                detail += c >= 0x20 && c < 0x7f ? c : '?';
        }
        if (rcode == isc::config::CONTROL_RESULT_COMMAND_UNSUPPORTED) {
            state = "no-alpxe";
            return;
        }
        if (rcode != isc::config::CONTROL_RESULT_SUCCESS || !args ||
            args->getType() != Element::map) {
            // e.g. kea-ctrl-agent up, kea-dhcp4 behind it down
            state = "unreachable";
            return;
        }
        ConstElementPtr served = args->get("served");
        ConstElementPtr s = served && served->getType() == Element::map
            ? served->get("sha256") : ConstElementPtr();
        sha = s && s->getType() == Element::string ? s->stringValue() : "";
        if (!sha.empty() && !is_sha256(sha)) {
            state = "unreachable";
            detail = "its alpxe-status gives no SHA-256";
            sha.clear();
            return;
        }
        state = sha == served_sha256() ? "same" : "differs";
    } catch (const std::exception &ex) {
        state = "unreachable";
        detail = std::string("not an answer Kea gives: ") + ex.what();
    }
}

// Ask one partner; fills state/sha/detail.  Runs on the checker thread.
void
ask(const HaPeer &peer, const std::string &question, std::string &state,
    std::string &sha, std::string &detail)
{
    HttpAnswer a;

    state = "unreachable";
    HttpTls tls = { peer.trust_anchor, peer.cert_file, peer.key_file };

    if (!http_post(peer.url, peer.user, peer.password, tls, question,
                   ASK_TIMEOUT_MS, checker.stop, a)) {
        detail = a.error;
        return;
    }
    if (a.status != 200) {
        detail = "HTTP " + std::to_string(a.status) + " from " + peer.url +
            (a.status == 403 ? " (HA's \"restrict-commands\" lets only HA's "
             "own commands in)" : a.status == 401 ? " (its basic-auth-user "
             "and basic-auth-password in HA's peers are not accepted)" : "");
        return;
    }
    try {
        judge(Element::fromJSON(a.body), state, sha, detail);
    } catch (const std::exception &ex) {
        detail = std::string("not an answer Kea gives: ") + ex.what();
    }
}

// {"peer": {"name": NAME, "sha256": what this server serves}}
ElementPtr
question_arguments(const std::string &this_name)
{
    ElementPtr args = Element::createMap(), peer = Element::createMap();
    std::string sha = served_sha256();

    peer->set("name", Element::create(this_name));
    peer->set("sha256", sha.empty() ? Element::create() : Element::create(sha));
    args->set("peer", peer);
    return args;
}

ElementPtr
question(const std::string &this_name)
{
    ElementPtr q = Element::createMap(), svc = Element::createList();

    q->set("command", Element::create(std::string("alpxe-status")));
    svc->add(Element::create(std::string("dhcp4")));
    q->set("service", svc);     // kea-ctrl-agent forwards to kea-dhcp4
    q->set("arguments", question_arguments(this_name));
    return q;
}

// One round: every partner, one after the other.
void
check_all(std::unique_lock<std::mutex> &g)
{
    struct Result { std::string state, sha, detail; };
    std::vector<HaPeer> peers;
    unsigned long gen = checker.generation;
    std::string this_name = checker.this_name;

    for (const PartnerState &p : checker.partners)
        peers.push_back(p.peer);
    g.unlock();

    std::vector<Result> results(peers.size());
    std::string q = question(this_name)->str();
    for (size_t i = 0; i < peers.size() && !checker.stop.load(); i++)
        ask(peers[i], q, results[i].state, results[i].sha, results[i].detail);

    g.lock();
    if (gen != checker.generation || checker.stopping)
        return;                 // reconfigured meanwhile: results are stale
    for (size_t i = 0; i < peers.size(); i++) {
        if (!results[i].state.empty()) {
            record(checker.partners[i], results[i].state, results[i].sha,
                results[i].detail, "asked");
        }
    }
}

void
run()
{
    std::unique_lock<std::mutex> g(checker.lock);

    while (!checker.stopping) {
        if (checker.due_set)
            checker.wake.wait_until(g, checker.due);
        else
            checker.wake.wait(g);
        if (checker.stopping)
            break;
        if (!checker.due_set || Clock::now() < checker.due ||
            checker.partners.empty())
            continue;
        checker.due_set = checker.interval > 0;
        checker.due = Clock::now() + std::chrono::seconds(checker.interval);
        try {
            check_all(g);
        } catch (...) {
            // Out of memory or a logging failure: the next round tries
            // again; the thread must not die with Kea's exception.
            if (!g.owns_lock())
                g.lock();
        }
    }
}

// Check in `ms` (sooner if already due sooner).  With checker.lock held.
void
due_in(int ms)
{
    Clock::time_point t = Clock::now() + std::chrono::milliseconds(ms);

    if (!checker.due_set || t < checker.due) {
        checker.due = t;
        checker.due_set = true;
    }
    checker.wake.notify_all();
}

}  // namespace

bool
ha_read_parameters(isc::hooks::LibraryHandle &handle, std::string &problem)
{
    ConstElementPtr v = handle.getParameter("ha-check");

    if (!v)
        return true;
    if (v->getType() != Element::integer || v->intValue() < 0 ||
        v->intValue() > 86400) {
        problem = "\"ha-check\" must be a number of seconds (0-86400)";
        return false;
    }
    std::lock_guard<std::mutex> g(checker.lock);
    checker.interval = static_cast<unsigned>(v->intValue());
    return true;
}

void
partners_configure(const HaSetup &setup)
{
    std::lock_guard<std::mutex> g(checker.lock);

    checker.generation++;
    checker.this_name = setup.this_name;
    checker.mode = setup.mode;
    checker.partners.clear();
    for (const HaPeer &peer : setup.partners) {
        PartnerState p;
        p.peer = peer;
        checker.partners.push_back(p);
    }
    if (checker.partners.empty()) {
        checker.due_set = false;
        return;
    }
    std::string names;
    for (const HaPeer &peer : setup.partners)
        names += (names.empty() ? "" : ", ") + peer.name + " (" + peer.url +
            (peer.trust_anchor.empty() ? ")" : ", TLS)");
    LOG_INFO(logger, ALPXE_HA_PARTNERS).arg(setup.this_name).arg(setup.mode)
        .arg(names).arg(checker.interval);
    if (!checker.thread.joinable() && !checker.stopping)
        checker.thread = std::thread(run);
    due_in(SETTLE_MS);
}

void
partners_loaded()
{
    std::lock_guard<std::mutex> g(checker.lock);

    if (!checker.partners.empty())
        due_in(SETTLE_MS);
}

void
partner_reported(const std::string &name, const std::string &sha256)
{
    std::lock_guard<std::mutex> g(checker.lock);

    if (!sha256.empty() && !is_sha256(sha256))
        return;
    for (PartnerState &p : checker.partners) {
        if (p.peer.name == name) {
            record(p, sha256 == served_sha256() ? "same" : "differs", sha256,
                "", "reported");
            return;
        }
    }
}

ElementPtr
partners_element()
{
    std::lock_guard<std::mutex> g(checker.lock);

    if (checker.this_name.empty())
        return Element::create();
    ElementPtr ha = Element::createMap(), list = Element::createList();
    ha->set("this-server", Element::create(checker.this_name));
    ha->set("mode", Element::create(checker.mode));
    ha->set("check-interval", Element::create(
        static_cast<long int>(checker.interval)));
    for (const PartnerState &p : checker.partners) {
        ElementPtr m = Element::createMap();
        m->set("name", Element::create(p.peer.name));
        m->set("url", Element::create(p.peer.url));
        m->set("role", Element::create(p.peer.role));
        m->set("state", Element::create(p.state));
        m->set("sha256", p.sha256.empty() ? Element::create()
            : Element::create(p.sha256));
        m->set("checked", p.checked ? Element::create(utc_time(p.checked))
            : Element::create());
        m->set("how", p.how.empty() ? Element::create()
            : Element::create(p.how));
        m->set("detail", Element::create(p.detail));
        list->add(m);
    }
    ha->set("partners", list);
    return ha;
}

void
partners_stop()
{
    std::unique_lock<std::mutex> g(checker.lock);

    checker.stopping = true;
    checker.stop.store(true);
    checker.wake.notify_all();
    std::thread t = std::move(checker.thread);
    g.unlock();
    if (t.joinable())
        t.join();
}

}  // namespace alpxe_kea
