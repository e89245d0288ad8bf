// commands.cc - "alpxe-reload" and "alpxe-status" on Kea's control channel.
//
// Commands run on Kea's main thread, which without multi-threading is also
// the thread that answers DHCP: a reload that parsed there would leave
// clients unanswered for as long as a big file takes.  So the file is
// loaded beside the running configuration, on a thread of its own, and
// swapped in when done; packets in flight keep the configuration they
// started with.  The command waits a little (most files load in a few
// milliseconds, and then the answer says how it went, as before); past
// that it answers "loading", and alpxe-status says when the new version
// serves.  A file that does not load is refused: the configuration in
// service keeps serving.

#include "commands.h"

#include <cc/command_interpreter.h>
#include <cc/data.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include "ha.h"
#include "holder.h"
#include "messages.h"
#include "stats.h"

using isc::config::createAnswer;
using isc::config::CONTROL_RESULT_ERROR;
using isc::config::CONTROL_RESULT_SUCCESS;
using isc::data::Element;
using isc::data::ElementPtr;
using isc::hooks::CalloutHandle;

namespace alpxe_kea {

namespace {

// How long a reload command waits for the file before answering
// "loading": short enough that DHCP never notices.
const int RELOAD_WAIT_MS = 50;

// One reload at a time, on its own thread.
struct Reloader {
    std::mutex lock;
    std::condition_variable ended;
    std::thread thread;
    bool running = false;
    unsigned long generation = 0;       // reloads finished
    long long started = 0;              // time() the running one began
    LoadOutcome outcome;                // of the last one finished
};

Reloader reloader;

void
run_reload(Settings s)
{
    LoadOutcome o;

    try {
        o = load_config(s);
        // A fallback (or nothing) means the file did not load: what serves
        // now goes on serving.
        if (o.cfg && !o.fallback)
            install(o.cfg);
        if (o.cfg && !o.fallback) {
            log_outcome(s, o, "reload");
            partners_loaded();
        } else {
            stats_config(CONFIG_FAILED);
            LOG_ERROR(logger, ALPXE_RELOAD_FAILED).arg(s.config)
                .arg(o.problem());
        }
        remember(s, o);
    } catch (const std::exception &ex) {
        o.file_rc = -ENOMEM;
        o.errors.push_back(ex.what());
        try {
            stats_config(CONFIG_FAILED);
            LOG_ERROR(logger, ALPXE_RELOAD_FAILED).arg(s.config)
                .arg(ex.what());
        } catch (...) {
        }
    }
    std::lock_guard<std::mutex> g(reloader.lock);
    reloader.outcome = o;
    reloader.outcome.cfg.reset();
    reloader.running = false;
    reloader.generation++;
    reloader.ended.notify_all();
}

// Join a thread that has ended (or wait for it: unload()).
void
join_finished(std::unique_lock<std::mutex> &g)
{
    if (!reloader.thread.joinable())
        return;
    reloader.ended.wait(g, [] { return !reloader.running; });
    std::thread t = std::move(reloader.thread);
    g.unlock();
    t.join();
    g.lock();
}

ElementPtr
served_element()
{
    ConfigPtr cfg = current();
    ElementPtr m = Element::createMap();

    if (!cfg)
        return Element::create();       // null: nothing serves
    m->set("file", Element::create(std::string(alpxe_config_path(cfg.get()))));
    m->set("sha256",
        Element::create(std::string(alpxe_config_sha256(cfg.get()))));
    m->set("loaded",
        Element::create(utc_time(alpxe_config_loaded_at(cfg.get()))));
    m->set("source", Element::create(std::string(
        alpxe_config_is_fallback(cfg.get()) ? "last-good" : "file")));
    m->set("hosts", Element::create(
        static_cast<long int>(alpxe_config_host_count(cfg.get()))));
    m->set("profiles", Element::create(
        static_cast<long int>(alpxe_config_profile_count(cfg.get()))));
    m->set("warnings", Element::create(
        static_cast<long int>(alpxe_config_warning_count(cfg.get()))));
    m->set("generation", Element::create(
        static_cast<long int>(generation())));
    return m;
}

int
reload_command(CalloutHandle &handle)
{
    // Whatever happens below, the counts of a finished load reach StatsMgr
    // on this (the main) thread.
    struct Flush { ~Flush() { stats_flush(); } } f;

    try {
        Settings s = settings();
        std::unique_lock<std::mutex> g(reloader.lock);

        if (reloader.running) {
            std::ostringstream text;
            text << "a reload of " << s.config << " is already under way "
                 << "(since " << utc_time(reloader.started) << "): "
                 << "alpxe-status says when it is served";
            handle.setArgument("response",
                createAnswer(CONTROL_RESULT_SUCCESS, text.str()));
            return 0;
        }
        join_finished(g);
        unsigned long before = reloader.generation;
        reloader.running = true;
        reloader.started = static_cast<long long>(time(NULL));
        reloader.thread = std::thread(run_reload, s);
        bool done = reloader.ended.wait_for(g,
            std::chrono::milliseconds(RELOAD_WAIT_MS),
            [before] { return reloader.generation != before; });

        if (!done) {
            ElementPtr args = Element::createMap();
            args->set("loading", Element::create(true));
            handle.setArgument("response", createAnswer(
                CONTROL_RESULT_SUCCESS, "loading " + s.config + " beside "
                "the configuration in service: alpxe-status says when it "
                "is served", args));
            return 0;
        }
        LoadOutcome o = reloader.outcome;
        g.unlock();
        ConfigPtr cfg = current();
        if (o.file_rc != 0 || !cfg) {
            handle.setArgument("response", createAnswer(CONTROL_RESULT_ERROR,
                "alpxe-reload refused, the previous configuration keeps "
                "serving: " + o.problem()));
            return 0;
        }
        std::ostringstream text;
        text << "reloaded " << s.config << ": "
             << alpxe_config_host_count(cfg.get()) << " hosts, "
             << alpxe_config_profile_count(cfg.get()) << " profiles, "
             << alpxe_config_warning_count(cfg.get()) << " warnings";
        handle.setArgument("response",
            createAnswer(CONTROL_RESULT_SUCCESS, text.str()));
    } catch (const std::exception &ex) {
        LOG_ERROR(logger, ALPXE_RELOAD_FAILED).arg(settings().config)
            .arg(ex.what());
        handle.setArgument("response",
            createAnswer(CONTROL_RESULT_ERROR, ex.what()));
    }
    return 0;
}

// An HA partner asking tells what it serves: {"peer": {"name", "sha256"}}.
void
read_peer(CalloutHandle &handle)
{
    isc::data::ConstElementPtr command, args, peer, name, sha;

    handle.getArgument("command", command);
    isc::config::parseCommand(args, command);
    peer = args && args->getType() == Element::map ? args->get("peer")
        : isc::data::ConstElementPtr();
    if (!peer || peer->getType() != Element::map)
        return;
    name = peer->get("name");
    sha = peer->get("sha256");
    if (!name || name->getType() != Element::string)
        return;
    partner_reported(name->stringValue(),
        sha && sha->getType() == Element::string ? sha->stringValue() : "");
}

int
status_command(CalloutHandle &handle)
{
    try {
        read_peer(handle);
        stats_flush();
        Settings s = settings();
        LoadOutcome o = last_attempt();
        ElementPtr args = Element::createMap();
        ElementPtr file = Element::createMap();
        ElementPtr errors = Element::createList();
        ElementPtr reload = Element::createMap();

        args->set("served", served_element());
        file->set("path", Element::create(s.config));
        file->set("state", Element::create(std::string(o.file_rc == 0
            ? "ok" : o.file_rc == -EINVAL ? "invalid" : "unreadable")));
        file->set("sha256", o.file_sha256.empty() ? Element::create()
            : Element::create(o.file_sha256));
        for (size_t i = 0; i < o.errors.size(); i++)
            errors->add(Element::create(o.errors[i]));
        file->set("errors", errors);
        args->set("file", file);
        args->set("last-good", Element::create(s.keep));
        args->set("strict", Element::create(s.strict));
        {
            std::lock_guard<std::mutex> g(reloader.lock);
            reload->set("loading", Element::create(reloader.running));
            reload->set("generation", Element::create(
                static_cast<long int>(reloader.generation)));
        }
        args->set("reload", reload);
        args->set("ha", partners_element());

        ConfigPtr cfg = current();
        std::string text = !cfg ? "nothing serves: " + s.config + " never "
            "loaded; network-boot clients get no answer"
            : alpxe_config_is_fallback(cfg.get())
            ? "serving the last good version of " + s.config + " ("
              + utc_time(alpxe_config_loaded_at(cfg.get())) + "): the file "
              "does not load"
            : "serving " + s.config;
        handle.setArgument("response",
            createAnswer(CONTROL_RESULT_SUCCESS, text, args));
    } catch (const std::exception &ex) {
        handle.setArgument("response",
            createAnswer(CONTROL_RESULT_ERROR, ex.what()));
    }
    return 0;
}

}  // namespace

void
register_commands(isc::hooks::LibraryHandle &handle)
{
    handle.registerCommandCallout("alpxe-reload", reload_command);
    handle.registerCommandCallout("alpxe-status", status_command);
}

void
stop_reloads()
{
    std::unique_lock<std::mutex> g(reloader.lock);
    join_finished(g);
}

}  // namespace alpxe_kea
