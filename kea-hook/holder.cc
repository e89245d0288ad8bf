// holder.cc - reads alpxe.conf through the core and holds the result.

#include "holder.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "messages.h"
#include "stats.h"

namespace alpxe_kea {

namespace {

// Only touched through std::atomic_load/atomic_store (C++11 shared_ptr
// atomics), so readers on worker threads never see a half-written pointer.
ConfigPtr in_service;

// alpxe.config.generation of the configuration in service (0: none).
std::atomic<long long> in_service_generation(0);

// The library's settings and the last load's outcome, for alpxe-status
// (read on the main thread, written by load() and the reload thread).
std::mutex state_lock;
Settings state_settings;
LoadOutcome state_outcome;

struct Diagnostics {
    std::vector<std::string> errors;
};

// The core's diag callback: log each line, keep the errors for the caller.
// It is called from C, so no exception may leave it.
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
        d->errors.push_back(text);
    } catch (...) {
        // Out of memory while logging: the load still fails on its own.
    }
}

void
free_config(const alpxe_config *cfg)
{
    alpxe_config_free(const_cast<alpxe_config *>(cfg));
}

std::string
utc(long long t)
{
    char buf[32];
    time_t tt = static_cast<time_t>(t);
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL ||
        strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return "?";
    return buf;
}

// Microseconds as milliseconds with one decimal: "142.3".
std::string
ms(unsigned long long us)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%llu.%llu", us / 1000, us % 1000 / 100);
    return buf;
}

}  // namespace

Settings::Settings()
    : config(ALPXE_DEFAULT_CONFIG), keep(ALPXE_KEA_LAST_GOOD), strict(false)
{
}

ConfigPtr
current()
{
    return std::atomic_load(&in_service);
}

void
install(ConfigPtr cfg)
{
    std::atomic_store(&in_service, cfg);
    in_service_generation = cfg ? stats_new_generation() : 0;
}

long long
generation()
{
    return in_service_generation;
}

std::string
LoadOutcome::problem() const
{
    std::string s;

    for (size_t i = 0; i < errors.size(); i++) {
        if (i)
            s += "; ";
        s += errors[i];
    }
    return s.empty() ? std::string("cannot read it") : s;
}

LoadOutcome
load_config(const Settings &s)
{
    Diagnostics d;
    LoadOutcome o;
    alpxe_load_result r;
    alpxe_config *cfg = NULL;
    int rc;

    rc = alpxe_config_load_kept(s.config.c_str(),
        s.strict || s.keep.empty() ? NULL : s.keep.c_str(), 0, collect, &d,
        &cfg, &r);
    o.errors = d.errors;
    o.file_rc = rc == 0 ? r.file_rc : rc;
    o.keep_rc = r.keep_rc;
    o.fallback = rc == 0 && r.fallback;
    if (rc == 0) {
        o.cfg = ConfigPtr(cfg, free_config);
        if (!o.fallback)
            o.file_sha256 = alpxe_config_sha256(cfg);
    }
    // A read failure comes with one diagnostic; name the errno anyway, so
    // the answer is never empty.
    if (o.file_rc != 0 && o.errors.empty())
        o.errors.push_back(s.config + ": " + std::strerror(-o.file_rc));
    return o;
}

void
log_outcome(const Settings &s, const LoadOutcome &o, const char *how)
{
    const alpxe_config *cfg = o.cfg.get();

    stats_config(cfg && !o.fallback ? CONFIG_LOADED
                 : cfg ? CONFIG_FALLBACK : CONFIG_FAILED);

    if (cfg && !o.fallback) {
        LOG_INFO(logger, ALPXE_LOAD).arg(how).arg(s.config)
            .arg(alpxe_config_host_count(cfg))
            .arg(alpxe_config_profile_count(cfg))
            .arg(alpxe_config_warning_count(cfg))
            .arg(alpxe_config_sha256(cfg))
            .arg(ms(alpxe_config_load_us(cfg)));
        if (o.keep_rc != 0 && !s.keep.empty() && !s.strict) {
            LOG_WARN(logger, ALPXE_KEEP_FAILED).arg(s.config).arg(s.keep)
                .arg(std::strerror(-o.keep_rc));
        }
    } else if (cfg) {
        LOG_ERROR(logger, ALPXE_FALLBACK).arg(s.config).arg(o.problem())
            .arg(utc(alpxe_config_loaded_at(cfg)))
            .arg(alpxe_config_sha256(cfg)).arg(s.keep);
    } else {
        LOG_ERROR(logger, ALPXE_NO_CONFIG).arg(s.config).arg(o.problem())
            .arg(s.keep.empty() ? std::string("no \"last-good\" file is set")
                 : s.keep + ": " + std::strerror(o.keep_rc == 0 ? ENOENT
                                                  : -o.keep_rc));
    }
}

void
remember(const Settings &s, const LoadOutcome &o)
{
    std::lock_guard<std::mutex> lock(state_lock);
    state_settings = s;
    state_outcome = o;
    state_outcome.cfg.reset();      // the one in service is current()
}

Settings
settings()
{
    std::lock_guard<std::mutex> lock(state_lock);
    return state_settings;
}

LoadOutcome
last_attempt()
{
    std::lock_guard<std::mutex> lock(state_lock);
    return state_outcome;
}

std::string
utc_time(long long t)
{
    return utc(t);
}

}  // namespace alpxe_kea
