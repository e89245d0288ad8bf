// holder.h - the configuration the callouts read, swapped atomically.
//
// Kea may answer packets on several threads while the control channel
// reloads alpxe.conf on the main thread.  Each callout takes one reference
// to the current configuration and keeps it for the whole packet, so a
// reload never frees a configuration in use and never mixes two of them.

#ifndef ALPXE_KEA_HOLDER_H
#define ALPXE_KEA_HOLDER_H

#include <memory>
#include <string>

#include "alpxe.h"

namespace alpxe_kea {

typedef std::shared_ptr<const alpxe_config> ConfigPtr;

// The configuration in service, or null before load() / after unload().
ConfigPtr current();

// Put cfg in service (null: take the current one out).
void install(ConfigPtr cfg);

// Read and validate path with the core.  Every diagnostic is logged
// (ALPXE_CONFIG_ERROR / _WARNING).  On failure returns null and sets
// errors to the error lines ("FILE:LINE: message"), joined by "; ".
ConfigPtr read_config(const std::string &path, std::string &errors);

// The alpxe.conf named in kea-dhcp4.conf; set by load(), read by reloads.
// Both run on Kea's main thread.
extern std::string config_path;

}  // namespace alpxe_kea

#endif  // ALPXE_KEA_HOLDER_H
