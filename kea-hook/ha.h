// ha.h - alpxe on a Kea high-availability pair: is the partner serving the
// same alpxe.conf?
//
// Kea's HA hook (libdhcp_ha.so) decides which server answers a client,
// and alpxe's pkt4_send runs only on that one.  Both must therefore serve
// the same alpxe.conf, or a machine's boot depends on which server
// answered it.  HA tells other hooks nothing about its partner but its
// last state, and carries no data of theirs: so the hook asks each
// partner itself, at the URL and with the credentials HA's own
// configuration gives (kea-ctrl-agent, or HA's dedicated listener), with
// Kea's own HTTP client, for "alpxe-status".  The question carries this
// server's name and checksum, so the partner compares too: a reload on
// either side makes both log the answer.
//
//   ALPXE_HA_DIFFERS (WARN)  the partner serves another version, at every
//                            check while it lasts
//   ALPXE_HA_SAME (INFO)     it serves this version (once per change)
//   ALPXE_HA_UNCHECKED       it cannot be asked (INFO once per change;
//                            WARN when it runs Kea without alpxe)

#ifndef ALPXE_KEA_HA_H
#define ALPXE_KEA_HA_H

#include <cc/data.h>
#include <hooks/hooks.h>

#include <string>
#include <vector>

namespace alpxe_kea {

// One other server of the HA relationship, as libdhcp_ha.so's "peers".
struct HaPeer {
    std::string name;
    std::string url;
    std::string role;
    std::string user;           // basic-auth-user, "" none
    std::string password;
    // HA's TLS to this peer (its entry's, else the relationship's): ""
    // none.  As HA, all three or none, and the URL's scheme may say http.
    std::string trust_anchor;   // a CA file or directory
    std::string cert_file;      // this server's client certificate
    std::string key_file;
};

// What the HA hook's configuration says about this server's partners.
struct HaSetup {
    std::string this_name;      // "" when Kea runs no HA
    std::string mode;           // hot-standby, load-balancing, passive-backup
    std::vector<HaPeer> partners;
};

// Read libdhcp_ha.so's parameters from the "Dhcp4" map Kea configured
// (dhcp4_srv_configured's json_config).  False when there is no HA hook
// (setup is then empty); problem says what is wrong with one that cannot
// be read.
bool ha_setup_from(const isc::data::ConstElementPtr &dhcp4,
    HaSetup &setup, std::string &problem);

// The hook's own HA parameter, "ha-check" (seconds between checks, 0:
// only when a version is loaded here or there; default 60).  False with
// problem set when it is malformed.
bool ha_read_parameters(isc::hooks::LibraryHandle &handle,
    std::string &problem);

// Compare with these partners from now on (an empty setup stops it).
void partners_configure(const HaSetup &setup);

// This server serves another version now: check the partners soon.
void partners_loaded();

// A partner asked our alpxe-status and told us what it serves: compare,
// log, remember.  name: its this-server-name.
void partner_reported(const std::string &name, const std::string &sha256);

// alpxe-status's "ha": null without HA, else this server, the mode and
// each partner's last check.
isc::data::ElementPtr partners_element();

// Stop checking and wait for a check under way (unload()).
void partners_stop();

}  // namespace alpxe_kea

#endif  // ALPXE_KEA_HA_H
