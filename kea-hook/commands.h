// commands.h - the hook's commands on Kea's control channel:
//   {"command": "alpxe-reload"}   re-read alpxe.conf
//   {"command": "alpxe-status"}   which version serves, and why

#ifndef ALPXE_KEA_COMMANDS_H
#define ALPXE_KEA_COMMANDS_H

#include <hooks/hooks.h>

namespace alpxe_kea {

void register_commands(isc::hooks::LibraryHandle &handle);

// Wait for a reload under way to end (unload() calls it: the library's
// code must not run after Kea unmaps it).
void stop_reloads();

}  // namespace alpxe_kea

#endif  // ALPXE_KEA_COMMANDS_H
