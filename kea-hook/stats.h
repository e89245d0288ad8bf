// stats.h - alpxe's statistics in Kea's own statistics manager.
//
// `statistic-get-all` (and so Stork and Kea's Prometheus exporters) shows
// them beside Kea's pkt4-* and subnet[…] statistics, named Kea's way:
// lower case, dashes, dots between the parts.
//
//   alpxe.answers.pxe, .ipxe, .http-boot        answers by boot stage
//   alpxe.answers.arch.bios, .efi32, .efi64,    answers by the client's
//     .arm32, .arm64, .unknown                  architecture
//   alpxe.declined.unknown-mac, .boot-off,      network-boot clients left
//     .malformed, .unsupported-arch,            unanswered, by reason
//     .no-loader, .too-long
//   alpxe.config.loads                          alpxe.conf loaded (start,
//                                               config-reload, alpxe-reload)
//   alpxe.config.fallbacks                      it did not load and its last
//                                               good copy was put in service
//   alpxe.config.failures                       it did not load and nothing
//                                               changed (a refused
//                                               alpxe-reload, or no copy)
//   alpxe.config.generation                     configurations put in
//                                               service since Kea started
//
// libkea-stats is Kea's, never unloaded with the hook: the counts run
// across config-reload and libreload (each load registers the names with
// 0 added, so they show before the first packet without resetting them).

#ifndef ALPXE_KEA_STATS_H
#define ALPXE_KEA_STATS_H

#include "alpxe.h"

namespace alpxe_kea {

// Make every statistic exist, and number the next configuration after
// the last one this Kea served (load(), main thread).
void stats_register();
void stats_start_generations();

// One answered packet, and one network-boot client declined (packet
// callouts only).
void stats_answer(const alpxe_dhcp_answer &a);
void stats_declined(alpxe_decline why);

// What a load or reload of alpxe.conf did, and a configuration put in
// service (returns its generation): safe on any thread, counted when
// stats_flush() next runs.
enum ConfigEvent { CONFIG_LOADED = 0, CONFIG_FALLBACK, CONFIG_FAILED };
void stats_config(ConfigEvent e);
long long stats_new_generation();

// Hand those counts to StatsMgr.  Only where Kea itself may update its
// statistics: packet callouts, command callouts, load().  Never throws:
// what StatsMgr refuses is lost, the caller goes on.
void stats_flush() noexcept;

}  // namespace alpxe_kea

#endif  // ALPXE_KEA_STATS_H
