// ha_config.cc - where this server's HA partners are: read from Kea's own
// configuration of libdhcp_ha.so, which Kea hands every hook in the
// dhcp4_srv_configured callout (at start and after each reconfiguration).

#include "ha.h"

#include <hooks/hooks.h>

#include "messages.h"

using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::hooks::CalloutHandle;

namespace alpxe_kea {

namespace {

std::string
str(const ConstElementPtr &map, const char *key)
{
    ConstElementPtr v = map ? map->get(key) : ConstElementPtr();
    return v && v->getType() == Element::string ? v->stringValue() : "";
}

// The "parameters" of libdhcp_ha.so in "hooks-libraries", or null.
ConstElementPtr
ha_parameters(const ConstElementPtr &dhcp4)
{
    ConstElementPtr libs = dhcp4 ? dhcp4->get("hooks-libraries")
        : ConstElementPtr();

    if (!libs || libs->getType() != Element::list)
        return ConstElementPtr();
    for (size_t i = 0; i < libs->size(); i++) {
        std::string path = str(libs->get(i), "library");
        std::string base = path.substr(path.rfind('/') + 1);
        if (base.compare(0, 10, "libdhcp_ha") == 0 &&
            base.find(".so") != std::string::npos)
            return libs->get(i)->get("parameters");
    }
    return ConstElementPtr();
}

// A peer's TLS parameter, else the relationship's (as libdhcp_ha.so).
std::string
or_relationship(const ConstElementPtr &peer, const ConstElementPtr &rel,
    const char *key)
{
    ConstElementPtr v = peer->get(key);

    return v ? str(peer, key) : str(rel, key);
}

}  // namespace

bool
ha_setup_from(const ConstElementPtr &dhcp4, HaSetup &setup,
    std::string &problem)
{
    ConstElementPtr params = ha_parameters(dhcp4), rel, peers;

    setup = HaSetup();
    if (!params || params->getType() != Element::map)
        return false;
    rel = params->get("high-availability");
    // Kea 2.2 takes one relationship, as a list of one map.
    if (rel && rel->getType() == Element::list && rel->size() > 0)
        rel = rel->get(0);
    if (!rel || rel->getType() != Element::map) {
        problem = "libdhcp_ha.so has no \"high-availability\" map";
        return false;
    }
    setup.this_name = str(rel, "this-server-name");
    setup.mode = str(rel, "mode");
    peers = rel->get("peers");
    if (setup.this_name.empty() || !peers ||
        peers->getType() != Element::list) {
        problem = "libdhcp_ha.so's configuration names no this-server-name "
            "or no peers";
        setup = HaSetup();
        return false;
    }
    for (size_t i = 0; i < peers->size(); i++) {
        ConstElementPtr p = peers->get(i);
        HaPeer peer;

        peer.name = str(p, "name");
        if (peer.name.empty() || peer.name == setup.this_name)
            continue;
        peer.url = str(p, "url");
        peer.role = str(p, "role");
        peer.user = str(p, "basic-auth-user");
        peer.password = str(p, "basic-auth-password");
        peer.trust_anchor = or_relationship(p, rel, "trust-anchor");
        peer.cert_file = or_relationship(p, rel, "cert-file");
        peer.key_file = or_relationship(p, rel, "key-file");
        setup.partners.push_back(peer);
    }
    return true;
}

}  // namespace alpxe_kea

using namespace alpxe_kea;

extern "C" {

// Kea configured (at start, config-reload, config-set): learn the HA
// partners from the configuration that now serves.  Never fails the
// configuration: HA is Kea's business, the comparison only ours.
int
dhcp4_srv_configured(CalloutHandle &handle)
{
    try {
        ConstElementPtr json;
        HaSetup setup;
        std::string problem;

        handle.getArgument("json_config", json);
        if (!ha_setup_from(json, setup, problem) && !problem.empty()) {
            LOG_WARN(logger, ALPXE_HA_UNCHECKED).arg("-").arg("-")
                .arg(problem);
        }
        partners_configure(setup);
    } catch (const std::exception &ex) {
        LOG_WARN(logger, ALPXE_HA_UNCHECKED).arg("-").arg("-")
            .arg(std::string("reading Kea's HA configuration: ") + ex.what());
    }
    return 0;
}

}  // extern "C"
