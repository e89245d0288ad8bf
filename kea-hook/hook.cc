// hook.cc - the library entry points Kea looks up with dlsym().
//
// Loaded from kea-dhcp4.conf:
//   "hooks-libraries": [ { "library": ".../libdhcp_alpxe.so",
//                          "parameters": { "config": "/etc/alpxe/alpxe.conf" } } ]
// load() refuses to start Kea on a missing or invalid alpxe.conf, as Kea's
// own hooks do for a bad parameter.  The callouts are in pkt4_send.cc and
// reload.cc; every decision is the core's (common/).

#include <hooks/hooks.h>

#include "holder.h"
#include "messages.h"

using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::hooks::CalloutHandle;
using isc::hooks::LibraryHandle;

namespace alpxe_kea {
int reload_command(CalloutHandle &handle);   // reload.cc
}

using namespace alpxe_kea;

extern "C" {

int
version()
{
    return KEA_HOOKS_VERSION;
}

int
load(LibraryHandle &handle)
{
    std::string path = ALPXE_DEFAULT_CONFIG;

    try {
        ConstElementPtr param = handle.getParameter("config");
        std::string errors;

        if (param) {
            if (param->getType() != Element::string) {
                LOG_ERROR(logger, ALPXE_LOAD_FAILED)
                    .arg("the hook's parameters in kea-dhcp4.conf")
                    .arg("\"config\" must be a string (the path of alpxe.conf)");
                return 1;
            }
            path = param->stringValue();
        }
        ConfigPtr cfg = read_config(path, errors);
        if (!cfg) {
            LOG_ERROR(logger, ALPXE_LOAD_FAILED).arg(path).arg(errors);
            return 1;
        }
        config_path = path;
        install(cfg);
        handle.registerCommandCallout("alpxe-reload", reload_command);
        LOG_INFO(logger, ALPXE_LOAD).arg(path)
            .arg(alpxe_config_host_count(cfg.get()))
            .arg(alpxe_config_profile_count(cfg.get()))
            .arg(alpxe_config_warning_count(cfg.get()));
    } catch (const std::exception &ex) {
        LOG_ERROR(logger, ALPXE_LOAD_FAILED).arg(path).arg(ex.what());
        return 1;
    }
    return 0;
}

int
unload()
{
    install(ConfigPtr());
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
