// messages.cc - the text of every ALPXE_* log message.
//
// Kea looks a message ID up in its global dictionary; MessageInitializer
// adds this table to it when the library is dlopen()ed.  %N are the
// .arg() values, in order.

#include "messages.h"

#include <log/log_dbglevels.h>
#include <log/message_initializer.h>

namespace alpxe_kea {

isc::log::Logger logger("alpxe");
const int DBG_PACKET = isc::log::DBGLVL_TRACE_BASIC;

}  // namespace alpxe_kea

extern const isc::log::MessageID ALPXE_LOAD = "ALPXE_LOAD";
extern const isc::log::MessageID ALPXE_LOAD_FAILED = "ALPXE_LOAD_FAILED";
extern const isc::log::MessageID ALPXE_CONFIG_ERROR = "ALPXE_CONFIG_ERROR";
extern const isc::log::MessageID ALPXE_CONFIG_WARNING = "ALPXE_CONFIG_WARNING";
extern const isc::log::MessageID ALPXE_RELOAD_FAILED = "ALPXE_RELOAD_FAILED";
extern const isc::log::MessageID ALPXE_ANSWER = "ALPXE_ANSWER";
extern const isc::log::MessageID ALPXE_DECLINED = "ALPXE_DECLINED";
extern const isc::log::MessageID ALPXE_FILE_TOO_LONG = "ALPXE_FILE_TOO_LONG";
extern const isc::log::MessageID ALPXE_PACKET_ERROR = "ALPXE_PACKET_ERROR";
extern const isc::log::MessageID ALPXE_UNLOAD = "ALPXE_UNLOAD";
extern const isc::log::MessageID ALPXE_FALLBACK = "ALPXE_FALLBACK";
extern const isc::log::MessageID ALPXE_NO_CONFIG = "ALPXE_NO_CONFIG";
extern const isc::log::MessageID ALPXE_KEEP_FAILED = "ALPXE_KEEP_FAILED";

namespace {

const char *values[] = {
    "ALPXE_LOAD", "%1: loaded %2: %3 hosts, %4 profiles, %5 warnings, "
        "sha256 %6",
    "ALPXE_LOAD_FAILED", "cannot load %1: %2",
    "ALPXE_CONFIG_ERROR", "%1",
    "ALPXE_CONFIG_WARNING", "%1",
    "ALPXE_RELOAD_FAILED",
        "reload of %1 refused, the previous configuration keeps serving: %2",
    // %2 is made by the callout in one go (pkt4_send.cc):
    // "mac M, stage S, arch A, host H, profile P, [option ..., ]siaddr X,
    // file F" and "mac M, stage S, arch A, host H: not answered (R): WHY".
    "ALPXE_ANSWER", "%1: %2",
    "ALPXE_DECLINED", "%1: %2",
    "ALPXE_FILE_TOO_LONG",
        "%1: boot file of %2 bytes does not fit in a DHCP option: %3",
    "ALPXE_PACKET_ERROR", "%1: error while answering: %2",
    "ALPXE_UNLOAD", "alpxe hook unloaded",
    "ALPXE_FALLBACK", "%1 does not load (%2): network-boot clients get the "
        "answers of its last good version, loaded %3, sha256 %4, kept in %5",
    "ALPXE_NO_CONFIG", "%1 does not load (%2) and no good version of it was "
        "kept (%3): network-boot clients get no answer until it loads; every "
        "other client is answered as before",
    "ALPXE_KEEP_FAILED", "cannot keep the last good copy of %1 in %2: %3; "
        "if %1 breaks, network-boot clients will get no answer",
    NULL
};

const isc::log::MessageInitializer initializer(values);

}  // namespace
