import DRLSimCore
import DRLNetwork

/// A running write workload installed on a VM.
public protocol Workload: AnyObject {
    /// Workload name (the VM's).
    var name: String { get }
    /// Starts at `time` (now when nil).
    func start(at time: SimInstant?)
    /// Stops issuing writes (a disaster).
    func stop()
    /// Bytes the application issued to its disk.
    var issuedBytes: Int64 { get }
    /// Bytes whose write completed (application throughput = completed / time).
    var completedBytes: Int64 { get }
}

extension WorkloadRunner: Workload {}

/// Everything a workload needs to be installed.
public struct WorkloadEnvironment {
    /// The run.
    public var context: RunContext
    /// The VM it runs in (speed, pause).
    public var vm: VirtualMachine
    /// The device it writes (the VM's volume device, or its ephemeral disk).
    public var device: BlockDevice
    /// The WAN (the transcoder downloads over it).
    public var network: TransferNetwork?
    /// The VM's site name (WAN endpoint).
    public var site: String
    /// Outstanding writes per workload (default 1).
    public var queueDepth: Int

    /// An environment.
    public init(context: RunContext, vm: VirtualMachine, device: BlockDevice, network: TransferNetwork? = nil,
                site: String, queueDepth: Int = 1) {
        self.context = context; self.vm = vm; self.device = device; self.network = network
        self.site = site; self.queueDepth = queueDepth
    }
}

/// A workload that cannot be built.
public struct WorkloadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// An error saying `message` (a workload kind from another package throws these too).
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension WorkloadConfig: WriteWorkload {
    /// The generator of a built-in kind on `env.device`; the video transcoder has none (it is a
    /// closed loop over its download: `makeWorkload`).
    public func makeGenerator(_ env: WorkloadEnvironment, stream: RandomStream) throws(WorkloadError) -> any WriteGenerator {
        let cap = env.device.capacity
        switch self {
        case let .constantRate(rate, size, placement):
            guard rate > 0, size > 0 else { throw WorkloadError(message: "constant workload needs a positive rate and size") }
            return ConstantRateGenerator(bytesPerSecond: rate, writeSize: size, placement: placement, capacity: cap, stream: stream)
        case let .onOff(rate, on, off, size, placement):
            guard rate > 0, size > 0, on > .zero else { throw WorkloadError(message: "on-off workload needs a positive rate, size and on time") }
            return OnOffGenerator(bytesPerSecond: rate, on: on, off: off, writeSize: size, placement: placement,
                                  capacity: cap, stream: stream)
        case let .poisson(rate, size, placement):
            do { return try PoissonGenerator(writesPerSecond: rate, size: size, placement: placement, capacity: cap, stream: stream) }
            catch { throw WorkloadError(message: "poisson workload: \(error)") }
        case let .traceReplay(trace, scale):
            return TraceReplayGenerator(trace: trace, timeScale: scale)
        case let .diurnal(profile, size, placement, arrivals):
            guard profile.mean > 0, size > 0 else { throw WorkloadError(message: "diurnal workload needs a positive mean rate and write size") }
            return DiurnalGenerator(profile: profile, writeSize: size, placement: placement, arrivals: arrivals,
                                    capacity: cap, stream: stream)
        case .videoTranscoder:
            throw WorkloadError(message: "video-transcoder has no write generator (it is a closed loop over its download)")
        }
    }

    /// Builds the workload in `env`, drawing from stream `workload.<vm>`: the transcoder, or a
    /// `WorkloadRunner` over the kind's generator. Call `start` on it.
    public func makeWorkload(_ env: WorkloadEnvironment) throws(WorkloadError) -> any Workload {
        let stream = env.context.stream("workload.\(env.vm.name)")
        if case let .videoTranscoder(cfg) = self {
            guard let net = env.network else { throw WorkloadError(message: "video-transcoder needs the WAN") }
            return VideoTranscoder(config: cfg, sim: env.context.sim, stream: stream, vm: env.vm, device: env.device,
                                   network: net, site: env.site, queueDepth: env.queueDepth)
        }
        return WorkloadRunner(name: env.vm.name, sim: env.context.sim, generator: try makeGenerator(env, stream: stream),
                              device: env.device, vm: env.vm, queueDepth: env.queueDepth)
    }
}
