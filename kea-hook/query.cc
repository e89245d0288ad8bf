// query.cc - read a Kea query into the core's alpxe_dhcp_query.
//
// Only reads.  Pkt::getOption() would copy each option (and swap the copy
// into the packet) because Kea runs callouts with option copying enabled;
// the public options_ map gives the same option without a copy.  Lengths
// are passed on as they arrived: validating them is the core's job.

#include <dhcp/dhcp4.h>
#include <dhcp/option_int_array.h>

#include <cstring>

#include "packet.h"

using isc::dhcp::OptionPtr;
using isc::dhcp::OptionUint16Array;
using isc::dhcp::OptionUint8Array;
using isc::dhcp::Pkt4Ptr;

namespace alpxe_kea {

namespace {

OptionPtr
peek(const Pkt4Ptr &pkt, uint16_t code)
{
    isc::dhcp::OptionCollection::const_iterator it = pkt->options_.find(code);

    return it == pkt->options_.end() ? OptionPtr() : it->second;
}

}  // namespace

bool
read_option(const Pkt4Ptr &pkt, uint16_t code, WireOption &w)
{
    OptionPtr opt = peek(pkt, code);

    if (!opt)
        return false;

    // 55 (uint8 array): the values are the wire bytes.
    if (const OptionUint8Array *u8 =
            dynamic_cast<const OptionUint8Array *>(opt.get())) {
        w.ptr = u8->getValues().empty() ? NULL : u8->getValues().data();
        w.len = u8->getValues().size();
        return true;
    }
    // 93 (uint16 array): back to big-endian, in place for any option that
    // fits in one DHCP option.
    if (const OptionUint16Array *u16 =
            dynamic_cast<const OptionUint16Array *>(opt.get())) {
        const std::vector<uint16_t> &v = u16->getValues();
        if (v.size() * 2 <= sizeof(w.buf)) {
            for (size_t i = 0; i < v.size(); i++) {
                w.buf[2 * i] = uint8_t(v[i] >> 8);
                w.buf[2 * i + 1] = uint8_t(v[i]);
            }
            w.ptr = v.empty() ? NULL : w.buf;
            w.len = v.size() * 2;
            return true;
        }
    } else if (opt->getOptions().empty()) {
        // 60 (string), 77 (binary), 175 (no definition): raw data.
        w.ptr = opt->getData().empty() ? NULL : opt->getData().data();
        w.len = opt->getData().size();
        return true;
    }
    // Anything else Kea parsed into fields: its serialisation.
    w.scratch = opt->toBinary(false);
    w.ptr = w.scratch.empty() ? NULL : w.scratch.data();
    w.len = w.scratch.size();
    return true;
}

void
read_query(const Pkt4Ptr &query, QueryInput &in)
{
    alpxe_dhcp_query &q = in.q;
    isc::dhcp::HWAddrPtr hw = query->getHWAddr();

    std::memset(&q, 0, sizeof(q));
    // Kea's HWAddr holds hlen bytes of chaddr (zero-extended past 16).
    if (hw) {
        q.htype = hw->htype_;
        q.chaddr = hw->hwaddr_.empty() ? NULL : hw->hwaddr_.data();
        q.hlen = hw->hwaddr_.size();
    }
    if (read_option(query, isc::dhcp::DHO_VENDOR_CLASS_IDENTIFIER,
            in.vendor_class)) {
        q.vendor_class = in.vendor_class.ptr;
        q.vendor_class_len = in.vendor_class.len;
    }
    if (read_option(query, isc::dhcp::DHO_USER_CLASS, in.user_class)) {
        q.user_class = in.user_class.ptr;
        q.user_class_len = in.user_class.len;
    }
    if (read_option(query, isc::dhcp::DHO_SYSTEM, in.arch)) {
        q.arch = in.arch.ptr;
        q.arch_len = in.arch.len;
    }
    q.has_ipxe_encap = query->options_.count(ALPXE_DHCP_OPTION_IPXE) ? 1 : 0;
}

}  // namespace alpxe_kea
