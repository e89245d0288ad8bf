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
#include "stats.h"

#include <cstdio>
#include <string>

using isc::dhcp::Pkt4Ptr;
using isc::hooks::CalloutHandle;

using namespace alpxe_kea;

namespace {

// "efi64 (type 7)", "bios (no option 93)", "unknown (malformed)"
void
arch_text(const alpxe_dhcp_answer &a, char *out, size_t size)
{
    if (a.arch_type >= 0) {
        snprintf(out, size, "%s (type %ld)", alpxe_arch_name(a.arch),
            a.arch_type);
    } else {
        snprintf(out, size, "%s (%s)", alpxe_arch_name(a.arch),
            a.arch_type == ALPXE_ARCH_TYPE_NONE ? "no option 93"
            : "malformed");
    }
}

const char *
host_text(const alpxe_dhcp_answer &a)
{
    return a.machine.host ? alpxe_host_name(a.machine.host) : "unknown";
}

// One INFO line per answer, beside Kea's own lease lines: what `alpxe
// log` reads.  Kea charges ~40k instructions a line however it is made,
// and each .arg() more (~6k each, measured): the text is made here in one
// go and handed over as one argument.  Nothing is made when the logger is
// above INFO.
void
log_answer(const alpxe_dhcp_answer &a, const Pkt4Ptr &query)
{
    char mac[ALPXE_MAC_STR] = "none", arch[48], siaddr[16] = "unchanged";
    char text[ALPXE_URL_MAX + 512];

    if (!logger.isInfoEnabled())
        return;
    if (a.have_mac)
        alpxe_mac_format(&a.mac, ':', mac);
    if (a.set_siaddr)
        snprintf(siaddr, sizeof(siaddr), "%u.%u.%u.%u", a.siaddr[0],
            a.siaddr[1], a.siaddr[2], a.siaddr[3]);
    arch_text(a, arch, sizeof(arch));
    snprintf(text, sizeof(text), "mac %s, stage %s, arch %s, host %s, "
        "profile %s, %ssiaddr %s, file %s", mac, alpxe_stage_name(a.stage),
        arch, host_text(a),
        a.machine.action == ALPXE_ACTION_BOOT && a.machine.profile
        ? a.machine.profile : "(exit)",
        a.ipxe_no_pxedhcp ? "option 175.176 = 1, "
        : a.vendor_class_httpclient ? "option 60 = HTTPClient, " : "",
        siaddr, a.file);
    LOG_INFO(logger, ALPXE_ANSWER).arg(query->getLabel()).arg(text);
}

void
log_declined(const alpxe_dhcp_answer &a, const Pkt4Ptr &query)
{
    char mac[ALPXE_MAC_STR] = "none", arch[48], text[512];

    if (!logger.isInfoEnabled())
        return;
    if (a.have_mac)
        alpxe_mac_format(&a.mac, ':', mac);
    arch_text(a, arch, sizeof(arch));
    snprintf(text, sizeof(text), "mac %s, stage %s, arch %s, host %s: not "
        "answered (%s): %s", mac, alpxe_stage_name(a.stage), arch,
        host_text(a), alpxe_decline_name(a.decline),
        a.reason ? a.reason : "");
    LOG_INFO(logger, ALPXE_DECLINED).arg(query->getLabel()).arg(text);
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
        // A network-boot client left alone: counted and logged.
        if (a.stage != ALPXE_STAGE_NONE) {
            stats_declined(a.decline);
            log_declined(a, query);
        }
        return;
    }
    // Kea 2.2 cannot split an option over 255 bytes (RFC 3396 on output
    // came later), and such a name fits no other field either.
    if (a.file_len > ALPXE_DHCP_OPTION_MAX) {
        stats_declined(ALPXE_DECLINE_TOO_LONG);
        LOG_ERROR(logger, ALPXE_FILE_TOO_LONG).arg(query->getLabel())
            .arg(a.file_len).arg(a.file);
        return;
    }
    apply_answer(a, query, response);
    stats_answer(a);
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

    stats_flush();                  // a reload's counts, if any
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
