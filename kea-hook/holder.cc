// holder.cc - reads alpxe.conf through the core and holds the result.

#include "holder.h"

#include <atomic>
#include <cstring>

#include "messages.h"

namespace alpxe_kea {

std::string config_path;

namespace {

// Only touched through std::atomic_load/atomic_store (C++11 shared_ptr
// atomics), so readers on worker threads never see a half-written pointer.
ConfigPtr in_service;

struct Diagnostics {
    std::string errors;
};

// The core's diag callback: log each line, keep the errors for the caller
// (load()'s failure message, the reload command's answer).  It is called
// from C, so no exception may leave it.
extern "C" void
collect(void *ctx, alpxe_severity severity, const char *, unsigned,
    const char *text)
{
    Diagnostics *d = static_cast<Diagnostics *>(ctx);

    try {
        if (severity == ALPXE_WARNING) {
            LOG_WARN(logger, ALPXE_CONFIG_WARNING).arg(text);
            return;
        }
        LOG_ERROR(logger, ALPXE_CONFIG_ERROR).arg(text);
        if (!d->errors.empty())
            d->errors += "; ";
        d->errors += text;
    } catch (...) {
        // Out of memory while logging: the load still fails on its own.
    }
}

void
free_config(const alpxe_config *cfg)
{
    alpxe_config_free(const_cast<alpxe_config *>(cfg));
}

}  // namespace

ConfigPtr
current()
{
    return std::atomic_load(&in_service);
}

void
install(ConfigPtr cfg)
{
    std::atomic_store(&in_service, cfg);
}

ConfigPtr
read_config(const std::string &path, std::string &errors)
{
    Diagnostics d;
    alpxe_config *cfg = NULL;
    int rc;

    rc = alpxe_config_load(path.c_str(), 0, collect, &d, &cfg);
    if (rc < 0) {
        // An open/read failure may come without a diagnostic line: name the
        // file and the errno ourselves so the message is never empty.
        errors = d.errors.empty() ? path + ": " + std::strerror(-rc)
                                  : d.errors;
        return ConfigPtr();
    }
    return ConfigPtr(cfg, free_config);
}

}  // namespace alpxe_kea
