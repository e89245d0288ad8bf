// messages.h - the hook's logger and its Kea log message IDs.
//
// Kea hooks normally generate these from a .mes file with kea-msg-compiler,
// which Debian does not ship; messages.cc registers the same table by hand.

#ifndef ALPXE_KEA_MESSAGES_H
#define ALPXE_KEA_MESSAGES_H

#include <log/logger.h>
#include <log/macros.h>
#include <log/message_types.h>

namespace alpxe_kea {

// "kea-dhcp4.alpxe" in Kea's log lines and "loggers" configuration.
extern isc::log::Logger logger;

// Debug level of per-packet detail (Kea's own per-packet level).  The
// answer and decline lines are INFO, as Kea's own lease lines.
extern const int DBG_PACKET;

}  // namespace alpxe_kea

extern const isc::log::MessageID ALPXE_LOAD;
extern const isc::log::MessageID ALPXE_LOAD_FAILED;
extern const isc::log::MessageID ALPXE_CONFIG_ERROR;
extern const isc::log::MessageID ALPXE_CONFIG_WARNING;
extern const isc::log::MessageID ALPXE_RELOAD_FAILED;
extern const isc::log::MessageID ALPXE_ANSWER;
extern const isc::log::MessageID ALPXE_DECLINED;
extern const isc::log::MessageID ALPXE_FILE_TOO_LONG;
extern const isc::log::MessageID ALPXE_PACKET_ERROR;
extern const isc::log::MessageID ALPXE_UNLOAD;
extern const isc::log::MessageID ALPXE_FALLBACK;
extern const isc::log::MessageID ALPXE_NO_CONFIG;
extern const isc::log::MessageID ALPXE_KEEP_FAILED;
extern const isc::log::MessageID ALPXE_HA_PARTNERS;
extern const isc::log::MessageID ALPXE_HA_SAME;
extern const isc::log::MessageID ALPXE_HA_DIFFERS;
extern const isc::log::MessageID ALPXE_HA_NO_ALPXE;
extern const isc::log::MessageID ALPXE_HA_UNCHECKED;

#endif  // ALPXE_KEA_MESSAGES_H
