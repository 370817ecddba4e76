import DRLSimCore

/// A write workload as a scenario's `workload.vms[].writes` describes it: the open seam of write
/// workload kinds. The built-in kinds are `WorkloadConfig`'s cases (constant, on-off, poisson,
/// diurnal, trace, video-transcoder); a package adds a kind by conforming a value type to this
/// protocol and registering a decoder for its keys (the scenario layer's `WorkloadKindPlugin`
/// on `Plugins`).
///
/// A kind either produces writes one at a time (`makeGenerator`, driven closed loop by a
/// `WorkloadRunner`: at most `queueDepth` outstanding, think times scaled by the VM's speed),
/// or builds a whole `Workload` of its own (`makeWorkload`, as the video transcoder does).
/// With the flow-level WAN (`wan.model: flow`) a kind whose writes form a rate process
/// (`rateSchedule(traceBin:)` not nil) on a DRBD volume is replicated as a fluid queue
/// (`DataPlane+Fluid`); the default is nil (written write by write, as under the packet model).
/// Randomness comes only from the stream `workload.<vm>` the environment's run hands out.
///
/// A kind is a value (`Hashable`: equal kinds with equal parameters are the same workload, so
/// `VMDescription` and DRLOrchestration's `TenantWorkload` are `Hashable`); a struct of
/// hashable parameters gets it synthesized.
public protocol WriteWorkload: Hashable, Sendable {
    /// The scenario `type:` name (`constant`).
    var typeName: String { get }
    /// The source of writes on `env.device`, drawing from `stream` (the run's `workload.<vm>`).
    func makeGenerator(_ env: WorkloadEnvironment, stream: RandomStream) throws(WorkloadError) -> any WriteGenerator
    /// The installed workload (not started). Default: a `WorkloadRunner` over `makeGenerator`.
    func makeWorkload(_ env: WorkloadEnvironment) throws(WorkloadError) -> any Workload
    /// The writes as a rate process (`RateSchedule`) aggregated to bins of `traceBin` where
    /// they are not one already; nil when the kind has no rate form (the default).
    func rateSchedule(traceBin: SimDuration) -> RateSchedule?
    /// The parameters of a video-transcoder workload, whose fluid form (`wan.model: flow`, a
    /// DRBD volume) is the closed-loop `FluidTranscoder`; nil for other kinds (the default).
    var transcoderConfig: VideoTranscoderConfig? { get }
    /// The size of the writes (a mean where they vary): the fluid model's write size. Default 64 KiB.
    var writeSize: Int64 { get }
    /// Where the writes land (the fluid bitmap's coverage depends on it). Default random.
    var placement: WritePlacement { get }
}

extension WriteWorkload {
    /// A `WorkloadRunner` over `makeGenerator`, drawing from the stream `workload.<vm>`.
    public func makeWorkload(_ env: WorkloadEnvironment) throws(WorkloadError) -> any Workload {
        let gen = try makeGenerator(env, stream: env.context.stream("workload.\(env.vm.name)"))
        return WorkloadRunner(name: env.vm.name, sim: env.context.sim, generator: gen, device: env.device, vm: env.vm,
                              queueDepth: env.queueDepth)
    }
    /// No rate form: written write by write under both WAN models.
    public func rateSchedule(traceBin: SimDuration) -> RateSchedule? { nil }
    /// Not a transcoder.
    public var transcoderConfig: VideoTranscoderConfig? { nil }
    /// 64 KiB.
    public var writeSize: Int64 { 64 * ByteUnits.KiB }
    /// Random.
    public var placement: WritePlacement { .random }
}
