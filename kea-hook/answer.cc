// answer.cc - write the core's answer into Kea's response.
//
// siaddr and the BOOTP file field take the answer; options 66/67 follow
// them when the client asked for them (or Kea already put them in);
// option 60 "HTTPClient" and 175.176 = 1 are added when the core says so.
// Nothing else in the response changes.

#include <asiolink/io_address.h>
#include <dhcp/dhcp4.h>
#include <dhcp/option.h>

#include <cstring>

#include "packet.h"

using isc::asiolink::IOAddress;
using isc::dhcp::Option;
using isc::dhcp::OptionBuffer;
using isc::dhcp::OptionPtr;
using isc::dhcp::Pkt4Ptr;

namespace alpxe_kea {

namespace {

const char PXECLIENT[] = "PXEClient";

OptionPtr
make_option(uint8_t code, const void *data, size_t len)
{
    const uint8_t *p = static_cast<const uint8_t *>(data);

    return OptionPtr(new Option(Option::V4, code, OptionBuffer(p, p + len)));
}

// The same two options go to every HTTP boot / iPXE client: built once and
// shared read-only, as Kea shares its configured options between packets.
const OptionPtr &
httpclient_option()
{
    static const OptionPtr opt = make_option(
        isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER, "HTTPClient", 10);
    return opt;
}

const OptionPtr &
no_pxedhcp_option()
{
    static const uint8_t sub[] = { ALPXE_IPXE_NO_PXEDHCP, 1, 1 };
    static const OptionPtr opt = make_option(ALPXE_DHCP_OPTION_IPXE, sub,
        sizeof(sub));
    return opt;
}

// Options 66/67 follow siaddr/file when the client asked for them in its
// parameter request list, or when Kea's own option-data already put them
// in the response (they would contradict the fixed fields otherwise).
bool
wants(const WireOption &prl, const Pkt4Ptr &response, uint8_t code)
{
    if (response->options_.count(code))
        return true;
    return prl.len && std::memchr(prl.ptr, code, prl.len) != NULL;
}

// Pkt4::addOption refuses a duplicate; options in a response may be shared
// with Kea's configuration, so they are replaced, never edited.
void
replace_option(const Pkt4Ptr &response, const OptionPtr &opt)
{
    while (response->delOption(opt->getType()))
        ;
    response->addOption(opt);
}

// EDK2 answers an offer carrying 60 "PXEClient" with boot-server discovery
// on port 4011 and gives up after ~10 s: whatever Kea's option-data says,
// a client alpxe boots never gets it.
void
drop_pxeclient(const Pkt4Ptr &response)
{
    isc::dhcp::OptionCollection::const_iterator it =
        response->options_.find(isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER);

    if (it == response->options_.end())
        return;
    const OptionBuffer &v = it->second->getData();
    if (v.size() >= sizeof(PXECLIENT) - 1 &&
        std::memcmp(v.data(), PXECLIENT, sizeof(PXECLIENT) - 1) == 0)
        response->delOption(isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER);
}

}  // namespace

std::string
dotted(const uint8_t a[4])
{
    std::string s;

    // Cheaper than IOAddress::toText(), and this runs per packet.
    for (int i = 0; i < 4; i++) {
        unsigned v = a[i];
        if (i)
            s += '.';
        if (v >= 100)
            s += char('0' + v / 100);
        if (v >= 10)
            s += char('0' + v / 10 % 10);
        s += char('0' + v % 10);
    }
    return s;
}

// Everything that can throw (allocations) happens before the first change,
// so an exception never leaves a response half alpxe's, half Kea's.
void
apply_answer(const alpxe_dhcp_answer &a, const Pkt4Ptr &query,
    const Pkt4Ptr &response)
{
    WireOption prl;
    OptionPtr opt66, opt67;
    const OptionPtr &opt60 = httpclient_option();   // built on first use
    const OptionPtr &opt175 = no_pxedhcp_option();
    bool fits = a.file_len <= ALPXE_DHCP_FILE_MAX;

    read_option(query, isc::dhcp::DHO_DHCP_PARAMETER_REQUEST_LIST, prl);
    if (a.set_siaddr &&
        wants(prl, response, isc::dhcp::DHO_TFTP_SERVER_NAME)) {
        std::string addr = dotted(a.siaddr);
        opt66 = make_option(isc::dhcp::DHO_TFTP_SERVER_NAME, addr.data(),
            addr.size());
    }
    // A name too long for the 128-byte BOOTP field is not truncated (a cut
    // URL boots nothing): the field is emptied and option 67 always carries
    // it.  iPXE and UEFI HTTP boot, the only stages with long URLs, read 67.
    if (!fits || wants(prl, response, isc::dhcp::DHO_BOOT_FILE_NAME))
        opt67 = make_option(isc::dhcp::DHO_BOOT_FILE_NAME, a.file,
            a.file_len);

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
    if (a.vendor_class_httpclient)
        replace_option(response, opt60);
    else
        drop_pxeclient(response);
    if (a.ipxe_no_pxedhcp)
        replace_option(response, opt175);
}

}  // namespace alpxe_kea
