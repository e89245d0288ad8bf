// kea-null-hook.cc - the benchmark's anchor: a Kea hook that does nothing.
//
// Kea 2.2 pays for any pkt4_send callout (a callout handle and its
// arguments per packet, option copying switched on, the callout timed),
// whatever the callout does.  This library registers an empty one, so
// kea-bench can tell that fixed price from what libdhcp_alpxe.so adds.

#include <hooks/hooks.h>

extern "C" {

int
version()
{
    return KEA_HOOKS_VERSION;
}

int
load(isc::hooks::LibraryHandle &)
{
    return 0;
}

int
unload()
{
    return 0;
}

int
multi_threading_compatible()
{
    return 1;
}

int
pkt4_send(isc::hooks::CalloutHandle &)
{
    return 0;
}

}  // extern "C"
