// stats.cc - alpxe's counters in Kea's StatsMgr (see stats.h for names).
//
// A packet costs two addValue() calls (about 750 instructions each,
// measured): the names are built once, so no string is made per packet.

#include "stats.h"

#include <stats/observation.h>
#include <stats/stats_mgr.h>

#include <atomic>
#include <string>

using isc::stats::StatsMgr;

namespace alpxe_kea {

namespace {

const char PREFIX[] = "alpxe.";

struct Names {
    std::string stage[ALPXE_STAGE_HTTPBOOT + 1];
    std::string arch[ALPXE_ARCH_UNKNOWN + 1];
    std::string declined[ALPXE_DECLINE_COUNT];
    std::string loads, fallbacks, failures, generation;

    Names()
    {
        stage[ALPXE_STAGE_PXE] = std::string(PREFIX) + "answers.pxe";
        stage[ALPXE_STAGE_IPXE] = std::string(PREFIX) + "answers.ipxe";
        stage[ALPXE_STAGE_HTTPBOOT] = std::string(PREFIX) +
            "answers.http-boot";
        for (int i = 0; i <= ALPXE_ARCH_UNKNOWN; i++) {
            arch[i] = std::string(PREFIX) + "answers.arch." +
                alpxe_arch_name(static_cast<alpxe_arch>(i));
        }
        for (int i = 1; i < ALPXE_DECLINE_COUNT; i++) {
            declined[i] = std::string(PREFIX) + "declined." +
                alpxe_decline_name(static_cast<alpxe_decline>(i));
        }
        loads = std::string(PREFIX) + "config.loads";
        fallbacks = std::string(PREFIX) + "config.fallbacks";
        failures = std::string(PREFIX) + "config.failures";
        generation = std::string(PREFIX) + "config.generation";
    }
};

const Names &
names()
{
    static const Names n;
    return n;
}

void
add(const std::string &name, int64_t v)
{
    if (!name.empty())
        StatsMgr::instance().addValue(name, v);
}

}  // namespace

void
stats_register()
{
    const Names &n = names();

    for (int i = ALPXE_STAGE_PXE; i <= ALPXE_STAGE_HTTPBOOT; i++)
        add(n.stage[i], 0);
    for (int i = 0; i <= ALPXE_ARCH_UNKNOWN; i++)
        add(n.arch[i], 0);
    for (int i = 1; i < ALPXE_DECLINE_COUNT; i++)
        add(n.declined[i], 0);
    add(n.loads, 0);
    add(n.fallbacks, 0);
    add(n.failures, 0);
    add(n.generation, 0);
}

void
stats_answer(const alpxe_dhcp_answer &a)
{
    const Names &n = names();

    if (a.stage >= ALPXE_STAGE_PXE && a.stage <= ALPXE_STAGE_HTTPBOOT)
        add(n.stage[a.stage], 1);
    if (a.arch >= ALPXE_ARCH_BIOS && a.arch <= ALPXE_ARCH_UNKNOWN)
        add(n.arch[a.arch], 1);
}

void
stats_declined(alpxe_decline why)
{
    if (why > ALPXE_DECLINE_NONE && why < ALPXE_DECLINE_COUNT)
        add(names().declined[why], 1);
}

// Loads run on the reload thread too, and without multi-threading Kea's
// StatsMgr takes no lock: the main thread updates it while it answers.  So
// a load only counts here, and the counts reach StatsMgr from the threads
// that may touch it (stats_flush): packet callouts, commands, load().
std::atomic<long long> pending[3];
std::atomic<long long> pending_generations(0);
std::atomic<bool> any_pending(false);

// The generation, counted here so that install() can number a
// configuration on any thread; load() starts it from StatsMgr's.
std::atomic<long long> generations(0);

void
stats_config(ConfigEvent e)
{
    pending[e]++;
    any_pending = true;
}

long long
stats_new_generation()
{
    pending_generations++;
    any_pending = true;
    return ++generations;
}

void
stats_flush() noexcept
{
    // Per packet this is one relaxed load: no shared write.
    if (!any_pending.load(std::memory_order_relaxed) ||
        !any_pending.exchange(false))
        return;
    // Called outside the callouts' own try: StatsMgr's failure (memory)
    // costs these counts, never the packet.
    try {
        const Names &n = names();
        const std::string *which[3] = { &n.loads, &n.fallbacks, &n.failures };
        long long v;

        for (int i = 0; i < 3; i++) {
            v = pending[i].exchange(0);
            if (v != 0)
                add(*which[i], v);
        }
        v = pending_generations.exchange(0);
        if (v != 0)
            add(n.generation, v);
    } catch (...) {
    }
}

void
stats_start_generations()
{
    isc::stats::ObservationPtr o =
        StatsMgr::instance().getObservation(names().generation);

    generations = o ? static_cast<long long>(o->getInteger().first) : 0;
}

}  // namespace alpxe_kea
