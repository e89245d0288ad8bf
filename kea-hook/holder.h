// holder.h - the configuration the callouts read, how it is loaded, and
// what the hook can say about it.
//
// Kea may answer packets on several threads while the control channel
// reloads alpxe.conf.  Each callout takes one reference to the current
// configuration and keeps it for the whole packet, so a reload never
// frees a configuration in use and never mixes two of them.
//
// Loading never takes DHCP down: a file that does not load leaves the last
// good version serving (the core keeps its bytes in a file, so a restart
// or a reboot serves it too), or, when there never was one, no
// configuration at all: the hook then leaves every packet as Kea made it.

#ifndef ALPXE_KEA_HOLDER_H
#define ALPXE_KEA_HOLDER_H

#include <memory>
#include <string>
#include <vector>

#include "alpxe.h"

// Debian's AppArmor profile for kea-dhcp4 lets it write, of all the files
// that outlive a reboot, only its lease file and that file's siblings
// (/var/lib/kea/kea-leases4.csv*): the last good copy is one of them.
#define ALPXE_KEA_LAST_GOOD "/var/lib/kea/kea-leases4.csv.alpxe-last-good"

namespace alpxe_kea {

typedef std::shared_ptr<const alpxe_config> ConfigPtr;

// The configuration in service, or null (before load(), after unload(),
// or when no version of alpxe.conf ever loaded).
ConfigPtr current();

// Put cfg in service (null: take the current one out); a configuration
// gets the next alpxe.config.generation.
void install(ConfigPtr cfg);

// The generation of the configuration in service (0: none).
long long generation();

// The hook's parameters in kea-dhcp4.conf.
struct Settings {
    std::string config;     // "config": alpxe.conf
    std::string keep;       // "last-good": where its last good copy lives
    bool strict;            // "strict": a file that does not load is fatal

    Settings();
};

// What one attempt to load the file gave.
struct LoadOutcome {
    ConfigPtr cfg;                      // what serves now (may be null)
    bool fallback;                      // cfg is the last good copy
    int file_rc;                        // 0, -EINVAL (errors), -errno
    int keep_rc;                        // see alpxe_load_result
    std::vector<std::string> errors;    // the file's "FILE:LINE: ..." lines
    std::string file_sha256;            // of the bytes tried, "" unreadable

    LoadOutcome() : fallback(false), file_rc(0), keep_rc(0) {}
    // The errors as one line for a log message or an answer.
    std::string problem() const;
};

// Load alpxe.conf as the settings say (with its last good copy unless
// strict).  Logs every diagnostic; may run on any thread.
LoadOutcome load_config(const Settings &s);

// Log what an outcome means for the clients (ALPXE_LOAD, _FALLBACK,
// _NO_CONFIG, _KEEP_FAILED); `how` is "load" or "reload".
void log_outcome(const Settings &s, const LoadOutcome &o, const char *how);

// The settings of the loaded library, and the last attempt's outcome
// (kept for alpxe-status).  Set by load() and reloads.
void remember(const Settings &s, const LoadOutcome &o);
Settings settings();
LoadOutcome last_attempt();

// "2026-11-27T10:00:00Z"
std::string utc_time(long long t);

}  // namespace alpxe_kea

#endif  // ALPXE_KEA_HOLDER_H
