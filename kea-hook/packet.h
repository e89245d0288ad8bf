// packet.h - between Kea's Pkt4 and the core's plain DHCP types.
//
// query.cc reads a query into an alpxe_dhcp_query; answer.cc writes an
// alpxe_dhcp_answer into a response.  pkt4_send.cc calls both.

#ifndef ALPXE_KEA_PACKET_H
#define ALPXE_KEA_PACKET_H

#include <dhcp/pkt4.h>

#include <string>

#include "alpxe.h"

namespace alpxe_kea {

// Bytes of one query option as they were on the wire.  Kea keeps most
// options as raw data, pointed to in place; the ones it parsed into numbers
// (option 93's uint16 array) are re-serialised into buf or scratch.
struct WireOption {
    const uint8_t *ptr;
    size_t len;
    uint8_t buf[256];
    isc::dhcp::OptionBuffer scratch;

    WireOption() : ptr(NULL), len(0) {}
};

// The option `code` of a packet without copying it (see query.cc); false
// when absent.  ptr stays valid while the packet and w live.
bool read_option(const isc::dhcp::Pkt4Ptr &pkt, uint16_t code,
    WireOption &w);

// What the core reads from a query.  The pointers in q point into query
// and into the WireOptions, which must outlive q.
struct QueryInput {
    alpxe_dhcp_query q;
    WireOption vendor_class, user_class, arch;
};
void read_query(const isc::dhcp::Pkt4Ptr &query, QueryInput &in);

// Write a positive answer into response (see answer.cc).
void apply_answer(const alpxe_dhcp_answer &a,
    const isc::dhcp::Pkt4Ptr &query, const isc::dhcp::Pkt4Ptr &response);

// "10.0.0.28"
std::string dotted(const uint8_t addr[4]);

}  // namespace alpxe_kea

#endif  // ALPXE_KEA_PACKET_H
