// reload.cc - the "alpxe-reload" command on Kea's control channel.
//
//   {"command": "alpxe-reload"}
// re-reads the alpxe.conf named at load().  A broken file is refused: the
// answer (result 1) and the log carry the core's "FILE:LINE: message"
// lines, and the configuration in service is kept.  Commands run on Kea's
// main thread; packets in flight keep the configuration they started with.

#include <cc/command_interpreter.h>
#include <hooks/hooks.h>

#include <sstream>

#include "holder.h"
#include "messages.h"

using isc::config::createAnswer;
using isc::config::CONTROL_RESULT_ERROR;
using isc::config::CONTROL_RESULT_SUCCESS;
using isc::hooks::CalloutHandle;

namespace alpxe_kea {

int
reload_command(CalloutHandle &handle)
{
    try {
        std::string errors;
        ConfigPtr cfg = read_config(config_path, errors);

        if (!cfg) {
            LOG_ERROR(logger, ALPXE_RELOAD_FAILED).arg(config_path)
                .arg(errors);
            handle.setArgument("response", createAnswer(CONTROL_RESULT_ERROR,
                "alpxe-reload refused, the previous configuration keeps "
                "serving: " + errors));
            return 0;
        }
        install(cfg);

        size_t hosts = alpxe_config_host_count(cfg.get());
        size_t profiles = alpxe_config_profile_count(cfg.get());
        size_t warnings = alpxe_config_warning_count(cfg.get());
        LOG_INFO(logger, ALPXE_RELOAD).arg(config_path).arg(hosts)
            .arg(profiles).arg(warnings);

        std::ostringstream text;
        text << "reloaded " << config_path << ": " << hosts << " hosts, "
             << profiles << " profiles, " << warnings << " warnings";
        handle.setArgument("response",
            createAnswer(CONTROL_RESULT_SUCCESS, text.str()));
    } catch (const std::exception &ex) {
        LOG_ERROR(logger, ALPXE_RELOAD_FAILED).arg(config_path).arg(ex.what());
        handle.setArgument("response",
            createAnswer(CONTROL_RESULT_ERROR, ex.what()));
    }
    return 0;
}

}  // namespace alpxe_kea
