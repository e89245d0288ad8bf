// pkt4_send.cc - the callout that puts alpxe's answer into Kea's response.
//
// pkt4_send runs after Kea filled siaddr/file from subnets, classes and
// reservations, so what is set here wins.  The callout only translates:
// query -> alpxe_dhcp_query (query.cc), the core decides, the answer ->
// response (answer.cc).  A client the core does not answer (not a
// network-boot client, unknown MAC under "unknown = ignore", boot = off,
// malformed fields) keeps the response exactly as Kea built it.

#include <dhcp/dhcp4.h>
#include <hooks/hooks.h>

#include "holder.h"
#include "messages.h"
#include "packet.h"

using isc::dhcp::Pkt4Ptr;
using isc::hooks::CalloutHandle;

using namespace alpxe_kea;

namespace {

void
log_answer(const alpxe_dhcp_answer &a, const Pkt4Ptr &query)
{
    char mac[ALPXE_MAC_STR] = "none";

    // Formatting costs more than the answer itself: only when it is shown.
    if (!logger.isDebugEnabled(DBG_PACKET))
        return;
    if (a.have_mac)
        alpxe_mac_format(&a.mac, ':', mac);
    LOG_DEBUG(logger, DBG_PACKET, ALPXE_ANSWER).arg(query->getLabel())
        .arg(mac).arg(alpxe_stage_name(a.stage)).arg(alpxe_arch_name(a.arch))
        .arg(a.arch_type)
        .arg(a.machine.host ? alpxe_host_name(a.machine.host) : "unknown")
        .arg(a.set_siaddr ? dotted(a.siaddr) : std::string("unchanged"))
        .arg(a.file);
}

void
answer(const alpxe_config *cfg, const Pkt4Ptr &query, const Pkt4Ptr &response)
{
    QueryInput in;
    alpxe_dhcp_answer a;

    // RFC 2131 table 3: a DHCPNAK carries no siaddr/file.
    uint8_t type = response->getType();
    if (type != isc::dhcp::DHCPOFFER && type != isc::dhcp::DHCPACK)
        return;

    read_query(query, in);
    alpxe_dhcp_decide(cfg, &in.q, &a);
    if (!a.answer) {
        // Kea's LOG_ macros expand to an if/else: keep the braces.
        if (a.stage != ALPXE_STAGE_NONE) {
            LOG_DEBUG(logger, DBG_PACKET, ALPXE_NO_ANSWER)
                .arg(query->getLabel()).arg(a.reason ? a.reason : "");
        }
        return;
    }
    // Kea 2.2 cannot split an option over 255 bytes (RFC 3396 on output
    // came later), and such a name fits no other field either.
    if (a.file_len > ALPXE_DHCP_OPTION_MAX) {
        LOG_ERROR(logger, ALPXE_FILE_TOO_LONG).arg(query->getLabel())
            .arg(a.file_len).arg(a.file);
        return;
    }
    apply_answer(a, query, response);
    log_answer(a, query);
}

}  // namespace

extern "C" {

int
pkt4_send(CalloutHandle &handle)
{
    // DROP: nothing is sent.  SKIP: an earlier callout already packed the
    // packet, so changes to the object would not reach the wire.
    if (handle.getStatus() != CalloutHandle::NEXT_STEP_CONTINUE)
        return 0;

    ConfigPtr cfg = current();      // held until the packet is done
    if (!cfg)
        return 0;

    Pkt4Ptr query, response;
    try {
        handle.getArgument("query4", query);
        handle.getArgument("response4", response);
        if (query && response)
            answer(cfg.get(), query, response);
    } catch (const std::exception &ex) {
        LOG_ERROR(logger, ALPXE_PACKET_ERROR)
            .arg(query ? query->getLabel() : std::string("?"))
            .arg(ex.what());
    }
    return 0;
}

}  // extern "C"
