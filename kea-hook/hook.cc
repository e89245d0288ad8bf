// hook.cc - the library entry points Kea looks up with dlsym().
//
// Loaded from kea-dhcp4.conf:
//   "hooks-libraries": [ { "library": ".../libdhcp_alpxe.so",
//       "parameters": { "config": "/etc/alpxe/alpxe.conf" } } ]
// Optional parameters: "last-good" (where the last good copy of alpxe.conf
// lives, default ALPXE_KEA_LAST_GOOD; "" keeps none) and "strict" (true:
// a file that does not load fails load(), and Kea refuses to start or to
// reload, as Kea's own hooks do on a bad parameter).
//
// By default load() never fails on alpxe.conf: Kea's config-reload
// unloads and reloads every hook, and a failing load() leaves the server
// with no DHCP at all.  The callouts are in pkt4_send.cc, the commands in
// commands.cc; every decision is the core's (common/).

#include <hooks/hooks.h>

#include "commands.h"
#include "ha.h"
#include "holder.h"
#include "http_post.h"
#include "messages.h"
#include "stats.h"

using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::hooks::LibraryHandle;

using namespace alpxe_kea;

namespace {

// Read the hook's parameters; on a bad one, say which in `problem`.
bool
read_settings(LibraryHandle &handle, Settings &s, std::string &problem)
{
    ConstElementPtr config = handle.getParameter("config");
    ConstElementPtr keep = handle.getParameter("last-good");
    ConstElementPtr strict = handle.getParameter("strict");

    if (strict && strict->getType() != Element::boolean) {
        problem = "\"strict\" must be true or false";
        return false;
    }
    if (strict)
        s.strict = strict->boolValue();
    if (config && config->getType() != Element::string) {
        problem = "\"config\" must be a string (the path of alpxe.conf)";
        return false;
    }
    if (config)
        s.config = config->stringValue();
    if (s.config.empty()) {
        problem = "\"config\" is empty: it names alpxe.conf";
        return false;
    }
    if (keep && keep->getType() != Element::string) {
        problem = "\"last-good\" must be a string (a file the server may "
            "write, or \"\" for none)";
        return false;
    }
    if (keep)
        s.keep = keep->stringValue();
    return ha_read_parameters(handle, problem);
}

}  // namespace

extern "C" {

int
version()
{
    return KEA_HOOKS_VERSION;
}

int
load(LibraryHandle &handle)
{
    Settings s;

    try {
        std::string problem;

        http_init();
        stats_register();
        stats_start_generations();
        if (!read_settings(handle, s, problem)) {
            stats_config(CONFIG_FAILED);
            LOG_ERROR(logger, ALPXE_LOAD_FAILED)
                .arg("the hook's parameters in kea-dhcp4.conf").arg(problem);
            if (s.strict)
                return 1;
            // Not alpxe.conf's fault, but the same rule: DHCP goes on.
            LoadOutcome none;
            none.file_rc = -EINVAL;
            none.errors.push_back("the hook's parameters: " + problem);
            remember(s, none);
            register_commands(handle);
            stats_flush();
            return 0;
        }
        LoadOutcome o = load_config(s);
        if (!o.cfg || o.fallback) {
            if (s.strict) {
                stats_config(CONFIG_FAILED);
                stats_flush();
                LOG_ERROR(logger, ALPXE_LOAD_FAILED).arg(s.config)
                    .arg(o.problem());
                return 1;
            }
        }
        install(o.cfg);
        log_outcome(s, o, "load");
        remember(s, o);
        register_commands(handle);
        stats_flush();
    } catch (const std::exception &ex) {
        LOG_ERROR(logger, ALPXE_LOAD_FAILED).arg(s.config).arg(ex.what());
        return s.strict ? 1 : 0;
    }
    return 0;
}

int
unload()
{
    partners_stop();
    http_cleanup();
    stop_reloads();
    install(ConfigPtr());
    stats_flush();      // a reload's counts, before the library goes
    LOG_INFO(logger, ALPXE_UNLOAD);
    return 0;
}

// The callouts only read an immutable configuration through one atomic
// pointer: safe with Kea's packet thread pool.
int
multi_threading_compatible()
{
    return 1;
}

}  // extern "C"
