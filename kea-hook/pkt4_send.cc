// pkt4_send.cc - the callout that puts alpxe's answer into Kea's response.
//
// pkt4_send runs after Kea filled siaddr/file from subnets, classes and
// reservations, so what is set here wins.  The callout only translates:
// query fields -> alpxe_dhcp_query, alpxe_dhcp_answer -> response fields.
// A client the core does not answer (not a network-boot client, unknown
// MAC under "unknown = ignore", boot = off, malformed fields) leaves the
// response exactly as Kea built it.

#include <asiolink/io_address.h>
#include <dhcp/dhcp4.h>
#include <dhcp/option.h>
#include <dhcp/pkt4.h>
#include <hooks/hooks.h>

#include <cstring>

#include "holder.h"
#include "messages.h"

using isc::asiolink::IOAddress;
using isc::dhcp::HWAddrPtr;
using isc::dhcp::Option;
using isc::dhcp::OptionBuffer;
using isc::dhcp::OptionPtr;
using isc::dhcp::Pkt4Ptr;
using isc::hooks::CalloutHandle;

using namespace alpxe_kea;

namespace {

const uint8_t IPXE_ENCAP = 175;         // iPXE's encapsulated options
const uint8_t IPXE_NO_PXEDHCP = 176;    // 175.176: skip the ProxyDHCP wait
const char HTTPCLIENT[] = "HTTPClient";
const char PXECLIENT[] = "PXEClient";

// An option of a packet, read in place.  Pkt::getOption() copies the
// option (and swaps the copy into the packet) while Kea runs callouts with
// option copying enabled; the hook only reads, so it looks in options_.
OptionPtr
peek(const Pkt4Ptr &pkt, uint16_t code)
{
    isc::dhcp::OptionCollection::const_iterator it = pkt->options_.find(code);

    return it == pkt->options_.end() ? OptionPtr() : it->second;
}

// The payload of a query option as it came in.  Kea keeps 60 (string), 77
// (binary) and 175 (no definition) as raw data; 93 (uint16 array) is held
// as numbers, so it is re-serialised into `scratch`, which is its wire form.
// The pointer stays valid while the query and scratch live.
bool
option_bytes(const Pkt4Ptr &pkt, uint16_t code, OptionBuffer &scratch,
    const uint8_t *&ptr, size_t &len)
{
    OptionPtr opt = peek(pkt, code);

    if (!opt)
        return false;
    if (!opt->getData().empty() && opt->getOptions().empty()) {
        ptr = opt->getData().data();
        len = opt->getData().size();
    } else {
        scratch = opt->toBinary(false);
        ptr = scratch.empty() ? NULL : scratch.data();
        len = scratch.size();
    }
    return true;
}

// Options 66/67 follow siaddr/file when the client asked for them in its
// parameter request list, or when Kea's own option-data already put them
// in the response (they would contradict the fixed fields otherwise).
bool
wants(const uint8_t *prl, size_t prl_len, const Pkt4Ptr &response,
    uint8_t code)
{
    if (response->options_.count(code))
        return true;
    return prl_len && std::memchr(prl, code, prl_len) != NULL;
}

// Pkt4::addOption refuses a duplicate; options fetched from a response may
// be shared with Kea's configuration, so they are replaced, never edited.
void
replace_option(const Pkt4Ptr &response, const OptionPtr &opt)
{
    while (response->delOption(opt->getType()))
        ;
    response->addOption(opt);
}

OptionPtr
make_option(uint8_t code, const void *data, size_t len)
{
    const uint8_t *p = static_cast<const uint8_t *>(data);

    return OptionPtr(new Option(Option::V4, code, OptionBuffer(p, p + len)));
}

std::string
dotted(const uint8_t a[4])
{
    return IOAddress(uint32_t(a[0]) << 24 | uint32_t(a[1]) << 16 |
        uint32_t(a[2]) << 8 | a[3]).toText();
}

// Apply a positive answer.  Everything that can throw (allocations) is
// done before the first change, so an exception never leaves a response
// with siaddr from alpxe and file from Kea.
void
apply(const alpxe_dhcp_answer &a, const Pkt4Ptr &query,
    const Pkt4Ptr &response)
{
    OptionBuffer scratch;
    const uint8_t *prl = NULL;
    size_t prl_len = 0;
    OptionPtr opt66, opt67, opt60, opt175, vc;
    bool fits = a.file_len <= ALPXE_DHCP_FILE_MAX;
    static const uint8_t no_pxedhcp[] = { IPXE_NO_PXEDHCP, 1, 1 };

    option_bytes(query, isc::dhcp::DHO_DHCP_PARAMETER_REQUEST_LIST, scratch,
        prl, prl_len);
    if (a.set_siaddr &&
        wants(prl, prl_len, response, isc::dhcp::DHO_TFTP_SERVER_NAME)) {
        std::string addr = dotted(a.siaddr);
        opt66 = make_option(isc::dhcp::DHO_TFTP_SERVER_NAME, addr.data(),
            addr.size());
    }
    // A name too long for the 128-byte BOOTP field is not truncated (a cut
    // URL boots nothing): the field is emptied and option 67 always carries
    // it.  iPXE and UEFI HTTP boot, the only stages with long URLs, read 67.
    if (!fits ||
        wants(prl, prl_len, response, isc::dhcp::DHO_BOOT_FILE_NAME))
        opt67 = make_option(isc::dhcp::DHO_BOOT_FILE_NAME, a.file,
            a.file_len);
    if (a.vendor_class_httpclient)
        opt60 = make_option(isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER,
            HTTPCLIENT, sizeof(HTTPCLIENT) - 1);
    if (a.ipxe_no_pxedhcp)
        opt175 = make_option(IPXE_ENCAP, no_pxedhcp, sizeof(no_pxedhcp));

    if (a.set_siaddr)
        response->setSiaddr(IOAddress(uint32_t(a.siaddr[0]) << 24 |
            uint32_t(a.siaddr[1]) << 16 | uint32_t(a.siaddr[2]) << 8 |
            a.siaddr[3]));
    response->setFile(reinterpret_cast<const uint8_t *>(a.file),
        fits ? a.file_len : 0);
    if (opt66)
        replace_option(response, opt66);
    if (opt67)
        replace_option(response, opt67);
    if (opt60) {
        replace_option(response, opt60);
    } else {
        // EDK2 answers an offer carrying 60 "PXEClient" with boot-server
        // discovery on port 4011 and gives up after ~10 s: whatever Kea's
        // option-data says, a client alpxe boots never gets it.
        vc = peek(response, isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER);
        if (vc && vc->getData().size() >= sizeof(PXECLIENT) - 1 &&
            std::memcmp(vc->getData().data(), PXECLIENT,
                sizeof(PXECLIENT) - 1) == 0)
            response->delOption(isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER);
    }
    if (opt175)
        replace_option(response, opt175);
}

void
log_answer(const alpxe_dhcp_answer &a, const Pkt4Ptr &query)
{
    char mac[ALPXE_MAC_STR] = "none";

    if (a.have_mac)
        alpxe_mac_format(&a.mac, ':', mac);
    LOG_DEBUG(logger, DBG_PACKET, ALPXE_ANSWER).arg(query->getLabel())
        .arg(mac).arg(alpxe_stage_name(a.stage)).arg(alpxe_arch_name(a.arch))
        .arg(a.arch_type)
        .arg(a.host ? alpxe_host_name(a.host) : "unknown")
        .arg(a.set_siaddr ? dotted(a.siaddr) : std::string("unchanged"))
        .arg(a.file);
}

void
answer(const alpxe_config *cfg, const Pkt4Ptr &query, const Pkt4Ptr &response)
{
    alpxe_dhcp_query q;
    alpxe_dhcp_answer a;
    OptionBuffer vendor, user, arch;    // scratch, see option_bytes()
    HWAddrPtr hw = query->getHWAddr();

    // RFC 2131 table 3: a DHCPNAK carries no siaddr/file.
    if (response->getType() != isc::dhcp::DHCPOFFER &&
        response->getType() != isc::dhcp::DHCPACK)
        return;

    std::memset(&q, 0, sizeof(q));
    if (hw) {
        q.htype = hw->htype_;
        q.chaddr = hw->hwaddr_.empty() ? NULL : hw->hwaddr_.data();
        q.hlen = hw->hwaddr_.size();
    }
    option_bytes(query, isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER, vendor,
        q.vendor_class, q.vendor_class_len);
    option_bytes(query, isc::dhcp::DHO_USER_CLASS, user, q.user_class,
        q.user_class_len);
    option_bytes(query, isc::dhcp::DHO_SYSTEM, arch, q.arch, q.arch_len);
    q.has_ipxe_encap = query->options_.count(IPXE_ENCAP) ? 1 : 0;
    q.msg_type = query->getType();

    alpxe_dhcp_decide(cfg, &q, &a);
    if (!a.answer) {
        // Kea's LOG_ macros expand to an if/else: keep the braces.
        if (a.stage != ALPXE_STAGE_NONE) {
            LOG_DEBUG(logger, DBG_PACKET, ALPXE_NO_ANSWER)
                .arg(query->getLabel()).arg(a.reason ? a.reason : "");
        }
        return;
    }
    // Kea 2.2 cannot split an option over 255 bytes (RFC 3396).
    if (a.file_len > 255) {
        LOG_ERROR(logger, ALPXE_FILE_TOO_LONG).arg(query->getLabel())
            .arg(a.file_len).arg(a.file);
        return;
    }
    apply(a, query, response);
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
