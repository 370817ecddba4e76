// ns-3.37 side of DRLSim's WAN validation (Docs/validation.md; DRLSim scenarios in
// Scenarios/validation/). Build and run with Scripts/ns3-validate (Debian 12: apt-get install
// g++ libns3-dev). One case per run:
//   ./wan_validation <case> [tcp]      case: bulk50 bulk100 bulk500 sndbuf fair2 rtt2 outage
//                                      tcp:  linux (TcpLinuxReno, default) | newreno (TcpNewReno)
// Topology: senders s0, s1 --(10 Gbit/s, access delay)--> router r --(1 Gbit/s, 2.5 ms)--> d.
// The bottleneck is a TbfQueueDisc on r's device towards d (burst 256 KiB, limit = rate x 50 ms
// + burst, as tc's `latency 50ms`); s0's access delay is 0, s1's 20 ms (case rtt2), so the base
// RTTs are 5 ms and 45 ms. TCP: 1448 B segments (1500 B IP packets with timestamps), IW 10,
// delayed ACK every 2 segments / 40 ms, SACK, min RTO 200 ms, send buffer 4 MiB, receive
// buffer 6 MiB. Output: one line per flow, `case flow bytes completion_s goodput_bps ...`, and
// the wall time of Simulator::Run.
#include "ns3/core-module.h"
#include "ns3/network-module.h"
#include "ns3/internet-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/applications-module.h"
#include "ns3/traffic-control-module.h"
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace ns3;

struct FlowStat {
  uint64_t target = 0;      // bytes to receive (0: until the end)
  uint64_t received = 0;
  double done = -1;         // completion time
  double firstAfterOutage = -1;
};
static std::vector<FlowStat> g_flows;
static double g_outageEnd = -1;

static void OnRx(uint32_t i, Ptr<const Packet> p, const Address &) {
  FlowStat &f = g_flows[i];
  f.received += p->GetSize();
  double now = Simulator::Now().GetSeconds();
  if (g_outageEnd >= 0 && now >= g_outageEnd && f.firstAfterOutage < 0) f.firstAfterOutage = now;
  if (f.target > 0 && f.done < 0 && f.received >= f.target) f.done = now;
}

int main(int argc, char **argv) {
  std::string kase = argc > 1 ? argv[1] : "bulk100";
  std::string tcp = argc > 2 ? argv[2] : "linux";
  double rateMbps = 100;
  uint64_t bytes = 1ull << 30;
  int nflows = 1;
  double stop = 0;               // 0: until the transfers end
  double farDelayMs = 0;
  uint32_t sndbuf = 4194304;
  uint32_t sendSize = 65536;     // bytes per application write
  double outageAt = -1, outageFor = 0;
  bool tbf = true;
  if (kase == "bulk50") rateMbps = 50;
  else if (kase == "bulk100") rateMbps = 100;
  else if (kase == "bulk500") rateMbps = 500;
  // A 64 KiB buffer: BulkSend writes only when a whole SendSize fits, so 64 KiB writes would
  // wait for an empty buffer (a burst per RTT); 1448 B writes keep it full as a woken writer does.
  else if (kase == "sndbuf") { tbf = false; rateMbps = 1000; sndbuf = 65536; sendSize = 1448; bytes = 256ull << 20; }
  else if (kase == "fair2") { nflows = 2; bytes = 0; stop = 60; }
  else if (kase == "rtt2") { nflows = 2; bytes = 0; stop = 60; farDelayMs = 20; }
  else if (kase == "outage") { outageAt = 30; outageFor = 2; }
  else { std::fprintf(stderr, "unknown case %s\n", kase.c_str()); return 2; }

  Config::SetDefault("ns3::TcpL4Protocol::SocketType",
                     TypeIdValue(tcp == "newreno" ? TcpNewReno::GetTypeId() : TcpLinuxReno::GetTypeId()));
  Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
  Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10));
  Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(2));
  Config::SetDefault("ns3::TcpSocket::DelAckTimeout", TimeValue(MilliSeconds(40)));
  Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(sndbuf));
  Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(6291456));
  Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(MilliSeconds(200)));
  Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(true));
  Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(true));

  NodeContainer senders, rd;
  senders.Create(nflows);
  rd.Create(2);                  // r, d
  PointToPointHelper access, bottleneck;
  access.SetDeviceAttribute("DataRate", StringValue("10Gbps"));
  bottleneck.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
  bottleneck.SetChannelAttribute("Delay", StringValue("2.5ms"));
  InternetStackHelper stack;
  stack.InstallAll();
  Ipv4AddressHelper addr;
  std::vector<Ipv4InterfaceContainer> ifs;
  for (int i = 0; i < nflows; ++i) {
    access.SetChannelAttribute("Delay", TimeValue(MilliSeconds(i == 1 ? farDelayMs : 0)));
    NetDeviceContainer dev = access.Install(senders.Get(i), rd.Get(0));
    std::string net = "10.1." + std::to_string(i + 1) + ".0";
    addr.SetBase(net.c_str(), "255.255.255.0");
    ifs.push_back(addr.Assign(dev));
  }
  NetDeviceContainer bn = bottleneck.Install(rd.Get(0), rd.Get(1));
  if (tbf) {
    TrafficControlHelper tch;
    uint64_t burst = 262144;
    uint64_t limit = (uint64_t)(rateMbps * 1e6 * 0.050 / 8) + burst;
    tch.SetRootQueueDisc("ns3::TbfQueueDisc", "Rate", DataRateValue(DataRate(rateMbps * 1e6)),
                         "Burst", UintegerValue(burst),
                         "MaxSize", QueueSizeValue(QueueSize(QueueSizeUnit::BYTES, limit)));
    tch.Install(bn.Get(0));
  }
  addr.SetBase("10.2.1.0", "255.255.255.0");
  Ipv4InterfaceContainer bif = addr.Assign(bn);
  Ipv4GlobalRoutingHelper::PopulateRoutingTables();

  g_flows.resize(nflows);
  for (int i = 0; i < nflows; ++i) {
    uint16_t port = 5000 + i;
    PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer sa = sink.Install(rd.Get(1));
    sa.Start(Seconds(0));
    sa.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&OnRx, (uint32_t)i));
    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(bif.GetAddress(1), port));
    bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
    bulk.SetAttribute("SendSize", UintegerValue(sendSize));
    ApplicationContainer ba = bulk.Install(senders.Get(i));
    ba.Start(Seconds(0));
    g_flows[i].target = bytes;
  }
  if (outageAt >= 0) {
    // Both directions of the bottleneck drop everything for outageFor seconds.
    for (uint32_t k = 0; k < 2; ++k) {
      Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
      em->SetAttribute("ErrorRate", DoubleValue(1.0));
      em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
      em->Disable();
      bn.Get(k)->SetAttribute("ReceiveErrorModel", PointerValue(em));
      Simulator::Schedule(Seconds(outageAt), &RateErrorModel::Enable, em);
      Simulator::Schedule(Seconds(outageAt + outageFor), &RateErrorModel::Disable, em);
    }
    g_outageEnd = outageAt + outageFor;
  }
  if (stop > 0) Simulator::Stop(Seconds(stop));
  else Simulator::Stop(Seconds(3600));
  auto t0 = std::chrono::steady_clock::now();
  Simulator::Run();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double end = Simulator::Now().GetSeconds();
  for (int i = 0; i < nflows; ++i) {
    const FlowStat &f = g_flows[i];
    double span = (f.done >= 0 ? f.done : (stop > 0 ? stop : end));
    std::printf("case=%s tcp=%s flow=%d bytes=%llu completion_s=%.6f goodput_bps=%.1f first_rx_after_outage_s=%.6f wall_s=%.3f\n",
                kase.c_str(), tcp.c_str(), i, (unsigned long long)f.received, f.done, f.received * 8.0 / span,
                f.firstAfterOutage, wall);
  }
  Simulator::Destroy();
  return 0;
}
