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
extern const isc::log::MessageID ALPXE_HA_PARTNERS = "ALPXE_HA_PARTNERS";
extern const isc::log::MessageID ALPXE_HA_SAME = "ALPXE_HA_SAME";
extern const isc::log::MessageID ALPXE_HA_DIFFERS = "ALPXE_HA_DIFFERS";
extern const isc::log::MessageID ALPXE_HA_NO_ALPXE = "ALPXE_HA_NO_ALPXE";
extern const isc::log::MessageID ALPXE_HA_UNCHECKED = "ALPXE_HA_UNCHECKED";

namespace {

const char *values[] = {
    "ALPXE_LOAD", "%1: loaded %2: %3 hosts, %4 profiles, %5 warnings, "
        "sha256 %6, in %7 ms",
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
    "ALPXE_HA_PARTNERS", "HA: this server is %1 (%2); its alpxe.conf is "
        "compared with its partners' (%3) after each load and every %4 s",
    "ALPXE_HA_SAME", "HA partner %1 (%2) serves the same alpxe.conf as this "
        "server (%3)",
    "ALPXE_HA_DIFFERS", "HA partner %1 (%2) serves ANOTHER alpxe.conf (%3) "
        "than this server (%4): a machine's boot answer depends on which "
        "server answers it; give both the same file and alpxe reload both",
    "ALPXE_HA_NO_ALPXE", "HA partner %1 (%2) runs Kea without alpxe (%3): "
        "network-boot clients it answers get no boot answer",
    "ALPXE_HA_UNCHECKED", "HA partner %1 (%2): cannot compare alpxe.conf "
        "with it: %3",
    NULL
};

const isc::log::MessageInitializer initializer(values);

}  // namespace
